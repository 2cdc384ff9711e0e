package salesprocess_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
)

func TestActor(t *testing.T) {
	rep := sp.RepActor("ana")
	manager := sp.ManagerActor("boss", "north", "south")
	system := sp.SystemActor("import-job")
	admin := sp.Actor{ID: "root", Role: sp.RoleAdmin}

	t.Run("is_rep", func(t *testing.T) {
		assert.True(t, rep.IsRep("ana"))
		assert.False(t, rep.IsRep("bob"))
		assert.False(t, sp.Actor{ID: "ana", Role: sp.RoleManager}.IsRep("ana"))
	})
	t.Run("manages", func(t *testing.T) {
		assert.True(t, manager.Manages("north"))
		assert.True(t, manager.Manages("south"))
		assert.False(t, manager.Manages("east"))
		assert.False(t, manager.Manages(""))
		assert.False(t, sp.Actor{ID: "x", Role: sp.RoleRep, Regions: []sp.RegionID{"north"}}.Manages("north"))
		assert.False(t, admin.Manages("north"))
	})
	t.Run("constructors", func(t *testing.T) {
		assert.Equal(t, sp.Actor{ID: "root", Role: sp.RoleAdmin}, sp.AdminActor("root"))
		assert.Equal(t, sp.Actor{ID: "import-job", Role: sp.RoleSystem}, system)
		assert.Equal(t, sp.Actor{ID: "ana", Role: sp.RoleRep}, rep)
		for _, a := range []sp.Actor{rep, manager, system, sp.AdminActor("root")} {
			assert.NoError(t, a.Validate())
		}
	})
	t.Run("manager_keeps_own_regions", func(t *testing.T) {
		regions := []sp.RegionID{"north", "south"}
		m := sp.ManagerActor("boss", regions...)
		regions[0] = "east"
		assert.True(t, m.Manages("north"), "the caller's slice is the caller's")
		assert.False(t, m.Manages("east"))
	})
	t.Run("validate", func(t *testing.T) {
		tests := []struct {
			name      string
			a         sp.Actor
			wantField string
		}{
			{name: "ok_rep", a: rep},
			{name: "ok_manager", a: manager},
			{name: "ok_system", a: system},
			{name: "ok_admin", a: admin},
			{name: "err_id", a: sp.Actor{Role: sp.RoleRep}, wantField: "actor.id"},
			{name: "err_role_missing", a: sp.Actor{ID: "x"}, wantField: "actor.role"},
			{name: "err_role_unknown", a: sp.Actor{ID: "x", Role: "king"}, wantField: "actor.role"},
			{name: "err_region", a: sp.ManagerActor("m", "north", ""), wantField: "actor.regions[1]"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				checkValidation(t, tt.a.Validate(), tt.wantField)
			})
		}
	})
	t.Run("json", func(t *testing.T) {
		data, err := json.Marshal(manager)
		require.NoError(t, err)
		assert.JSONEq(t, `{"id":"boss","role":"manager","regions":["north","south"]}`, string(data))
		var back sp.Actor
		require.NoError(t, json.Unmarshal(data, &back))
		assert.Equal(t, manager, back)
		assert.ErrorIs(t, json.Unmarshal([]byte(`{"id":"x","role":"king"}`), &back), sp.ErrInvalid)
	})
}
