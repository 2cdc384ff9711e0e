package training_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
)

func TestParseVersion(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     training.Version
		err      bool
	}{
		{"ok", "2.1", training.Version{Major: 2, Minor: 1}, false},
		{"ok_zero_major", "0.1", training.Version{Minor: 1}, false},
		{"ok_zero_minor", "10.0", training.Version{Major: 10}, false},
		{"ok_max", "999999.999999", training.Version{Major: 999999, Minor: 999999}, false},
		{"err_zero", "0.0", training.Version{}, true},
		{"err_empty", "", training.Version{}, true},
		{"err_no_minor", "2", training.Version{}, true},
		{"err_three_parts", "2.1.0", training.Version{}, true},
		{"err_leading_zero", "02.1", training.Version{}, true},
		{"err_sign", "+2.1", training.Version{}, true},
		{"err_negative", "-2.1", training.Version{}, true},
		{"err_too_long", "1234567.0", training.Version{}, true},
		{"err_space", "2.1 ", training.Version{}, true},
		{"err_empty_part", "2.", training.Version{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := training.ParseVersion(tc.in)
			if tc.err {
				require.ErrorIs(t, err, salesprocess.ErrInvalid)
				assert.Contains(t, err.Error(), "training: ")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.in, got.String())
		})
	}
}

func TestVersion(t *testing.T) {
	a, b := v("1.9"), v("1.10")
	assert.Equal(t, -1, a.Compare(b))
	assert.Equal(t, 1, v("2.0").Compare(b))
	assert.Equal(t, 0, a.Compare(v("1.9")))
	assert.Equal(t, 1, b.Compare(a))
	assert.Equal(t, v("2.0"), a.NextMajor())
	assert.Equal(t, v("1.10"), a.NextMinor())
	assert.True(t, training.Version{}.IsZero())
	assert.Equal(t, "", training.Version{}.String())
	assert.Equal(t, "-1.0", training.Version{Major: -1}.String())
	assert.Panics(t, func() { training.MustParseVersion("x") })

	t.Run("err_validate", func(t *testing.T) {
		require.ErrorIs(t, training.Version{}.Validate(), salesprocess.ErrInvalid)
		require.ErrorIs(t, training.Version{Major: -1}.Validate(), salesprocess.ErrInvalid)
		require.ErrorIs(t, training.Version{Minor: training.MaxVersionPart + 1}.Validate(), salesprocess.ErrInvalid)
	})
	t.Run("ok_json", func(t *testing.T) {
		data, err := json.Marshal(struct {
			V training.Version `json:"v"`
			Z training.Version `json:"z"`
		}{V: v("2.1")})
		require.NoError(t, err)
		assert.JSONEq(t, `{"v":"2.1","z":""}`, string(data))
		var back struct {
			V training.Version `json:"v"`
			Z training.Version `json:"z"`
		}
		back.Z = v("9.9")
		require.NoError(t, json.Unmarshal(data, &back))
		assert.Equal(t, v("2.1"), back.V)
		assert.True(t, back.Z.IsZero())
	})
	t.Run("err_marshal_invalid", func(t *testing.T) {
		_, err := json.Marshal(training.Version{Major: -1})
		require.ErrorIs(t, err, salesprocess.ErrInvalid)
	})
	t.Run("err_unmarshal_leaves_value", func(t *testing.T) {
		x := v("3.4")
		require.ErrorIs(t, x.UnmarshalText([]byte("3")), salesprocess.ErrInvalid)
		assert.Equal(t, v("3.4"), x)
	})
}

func FuzzParseVersion(f *testing.F) {
	for _, s := range []string{"2.1", "0.1", "0.0", "", "02.1", "1.2.3", "999999.999999", "1000000.0", "a.b", "-1.0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := training.ParseVersion(s)
		keep := training.Version{Major: 7, Minor: 3}
		u := keep
		uerr := u.UnmarshalText([]byte(s))
		if err != nil {
			require.ErrorIs(t, err, salesprocess.ErrInvalid)
			require.Equal(t, training.Version{}, got)
			if s != "" {
				require.ErrorIs(t, uerr, salesprocess.ErrInvalid, "ParseVersion refused %q but UnmarshalText took it", s)
				require.Equal(t, keep, u, "a failed UnmarshalText changed the value")
			}
			return
		}
		require.NoError(t, uerr)
		require.Equal(t, got, u)
		require.NoError(t, got.Validate())
		text, err := got.MarshalText()
		require.NoError(t, err)
		require.Equal(t, s, string(text), "the text form is canonical")
		again, err := training.ParseVersion(string(text))
		require.NoError(t, err)
		require.Equal(t, got, again)
	})
}

func TestSeverity(t *testing.T) {
	assert.True(t, training.SeverityCritical.AtLeast(training.SeverityWarning))
	assert.True(t, training.SeverityWarning.AtLeast(training.SeverityWarning))
	assert.False(t, training.SeverityInfo.AtLeast(training.SeverityWarning))
	assert.False(t, training.Severity("bogus").AtLeast(training.SeverityInfo))
	assert.Equal(t, 0, training.Severity("").Rank())
	require.NoError(t, training.SeverityInfo.Validate())
	require.ErrorIs(t, training.Severity("").Validate(), salesprocess.ErrInvalid)
	require.ErrorIs(t, training.Severity("fatal").Validate(), salesprocess.ErrInvalid)
	s := training.SeverityInfo
	require.ErrorIs(t, s.UnmarshalText([]byte("fatal")), salesprocess.ErrInvalid)
	assert.Equal(t, training.SeverityInfo, s)
	require.NoError(t, s.UnmarshalText([]byte("critical")))
	assert.Equal(t, training.SeverityCritical, s)
	require.NoError(t, s.UnmarshalText(nil))
	assert.Equal(t, training.Severity(""), s)
}

// TestEnums checks the text forms of the string enums of the package.
func TestEnums(t *testing.T) {
	type enum interface{ Validate() error }
	for _, tc := range []struct {
		name  string
		good  []enum
		bad   enum
		unmar func([]byte) error
	}{
		{"module_kind", []enum{training.ModuleProductKnowledge, training.ModuleSellingTechnique}, training.ModuleKind("x"), new(training.ModuleKind).UnmarshalText},
		{"cert_status", []enum{training.CertMissing, training.CertNotYetValid, training.CertExpired, training.CertOutdated, training.CertValid}, training.CertStatus("x"), new(training.CertStatus).UnmarshalText},
		{"reason_code", []enum{training.ReasonNoBrief, training.ReasonNoCertificate, training.ReasonWrongChannel, training.ReasonNotYetValid, training.ReasonExpired, training.ReasonBriefOutdated}, training.ReasonCode("x"), new(training.ReasonCode).UnmarshalText},
		{"criterion", []enum{training.CriterionEnded, training.CriterionUnitsSold, training.CriterionSellThrough, training.CriterionLocalitiesSales, training.CriterionFeedback, training.CriterionAverageRating, training.CriterionLocalityRating, training.CriterionNoBlockingIssues}, training.Criterion("x"), new(training.Criterion).UnmarshalText},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, g := range tc.good {
				require.NoError(t, g.Validate())
			}
			require.ErrorIs(t, tc.bad.Validate(), salesprocess.ErrInvalid)
			require.ErrorIs(t, tc.unmar([]byte("x")), salesprocess.ErrInvalid)
			require.NoError(t, tc.unmar(nil))
		})
	}
}
