package sqlstore_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/examples/sqlstore"
	"github.com/salesprocess/salesprocess/pipeline"
)

// Every method that takes a context, of the Store and of a transaction's
// store, refuses a nil one with an error wrapping sp.ErrInvalid (a
// listing yields it) instead of panicking, as the library's stores do.
func TestNilContext(t *testing.T) {
	var nilCtx context.Context
	_, err := sqlstore.Open(nilCtx, sqlstore.SQLite, "", nil)
	assert.ErrorIs(t, err, sp.ErrInvalid, "Open")

	s := openSQLiteMemory(t, nil)
	check := func(t *testing.T, v reflect.Value) {
		ctxType := reflect.TypeFor[context.Context]()
		errType := reflect.TypeFor[error]()
		for i := range v.NumMethod() {
			m, name := v.Method(i), v.Type().Method(i).Name
			mt := m.Type()
			if mt.NumIn() == 0 || mt.In(0) != ctxType {
				continue
			}
			t.Run(name, func(t *testing.T) {
				args := []reflect.Value{reflect.Zero(ctxType)}
				for j := 1; j < mt.NumIn(); j++ {
					args = append(args, reflect.Zero(mt.In(j)))
				}
				if name == "Atomically" {
					args[1] = reflect.ValueOf(func(context.Context, pipeline.Store) error { return nil })
				}
				var got error
				require.NotPanics(t, func() {
					out := m.Call(args)
					last := out[len(out)-1]
					switch {
					case last.Type() == errType:
						got, _ = last.Interface().(error)
					case last.Kind() == reflect.Func: // a listing: iter.Seq2[T, error]
						yield := reflect.MakeFunc(last.Type().In(0), func(in []reflect.Value) []reflect.Value {
							if err, ok := in[1].Interface().(error); ok && got == nil {
								got = err
							}
							return []reflect.Value{reflect.ValueOf(false)}
						})
						last.Call([]reflect.Value{yield})
					default:
						t.Fatalf("unexpected result %s", last.Type())
					}
				})
				assert.ErrorIs(t, got, sp.ErrInvalid)
			})
		}
	}
	t.Run("store", func(t *testing.T) { check(t, reflect.ValueOf(s)) })
	t.Run("transaction", func(t *testing.T) {
		require.NoError(t, s.Atomically(context.Background(), func(_ context.Context, tx pipeline.Store) error {
			check(t, reflect.ValueOf(tx))
			return nil
		}))
	})
}
