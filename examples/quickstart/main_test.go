package main

import (
	"bytes"
	"context"
	"flag"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
)

func TestRun(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{name: "default", args: nil, want: `Goal 100000.00 EUR for 2026-Q1[Europe/Berlin], split by days:
  2026-01[Europe/Berlin]     31 days  744h  31/90    34444.45 EUR
  2026-02[Europe/Berlin]     28 days  672h  14/45    31111.11 EUR
  2026-03[Europe/Berlin]     31 days  743h  31/90    34444.44 EUR
  total                      90 days 2159h  1/1     100000.00 EUR
`},
		{name: "other_quarter_zone_currency", args: []string{"-quarter", "2026-Q4", "-goal", "1000 JPY", "-tz", "America/New_York"},
			want: `Goal 1000 JPY for 2026-Q4[America/New_York], split by days:
  2026-10[America/New_York]  31 days  744h  31/92         337 JPY
  2026-11[America/New_York]  30 days  721h  15/46         326 JPY
  2026-12[America/New_York]  31 days  744h  31/92         337 JPY
  total                      92 days 2209h  1/1          1000 JPY
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			require.NoError(t, run(context.Background(), &out, tt.args))
			assert.Equal(t, tt.want, out.String())
		})
	}
}

func TestRunErrors(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name    string
		ctx     context.Context
		args    []string
		wantIs  error
		wantMsg string
	}{
		{name: "err_goal", ctx: context.Background(), args: []string{"-goal", "1 eur"}, wantIs: sp.ErrInvalid},
		{name: "err_quarter", ctx: context.Background(), args: []string{"-quarter", "2026-Q5"}, wantIs: sp.ErrInvalid},
		{name: "err_not_a_quarter", ctx: context.Background(), args: []string{"-quarter", "2026-11"}, wantMsg: "2026-11[Europe/Berlin] is a month, not a quarter"},
		{name: "err_time_zone", ctx: context.Background(), args: []string{"-tz", "Mars/Base"}, wantMsg: "time zone"},
		{name: "err_flag", ctx: context.Background(), args: []string{"-nope"}, wantMsg: "flag provided but not defined"},
		{name: "help", ctx: context.Background(), args: []string{"-h"}, wantIs: flag.ErrHelp},
		{name: "err_cancelled", ctx: cancelled, args: nil, wantIs: context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(tt.ctx, &out, tt.args)
			require.Error(t, err)
			if tt.wantIs != nil {
				assert.ErrorIs(t, err, tt.wantIs)
			}
			assert.ErrorContains(t, err, tt.wantMsg)
		})
	}
}
