package report

import (
	"math"
	"testing"

	"github.com/cambista/cambista/i18n"
)

func TestAppendDecimal(t *testing.T) {
	for _, c := range []struct {
		minor int64
		exp   int
		want  string
	}{
		{0, 2, "0.00"},
		{5, 2, "0.05"},
		{-5, 2, "-0.05"},
		{123456, 2, "1234.56"},
		{-123456, 2, "-1234.56"},
		{1500, 0, "1500"},
		{-7, 0, "-7"},
		{1, 6, "0.000001"},
		{100000000, 8, "1.00000000"},
		{math.MaxInt64, 2, "92233720368547758.07"},
		{math.MinInt64, 2, "-92233720368547758.08"},
	} {
		if got := string(appendDecimal([]byte("x"), c.minor, c.exp)); got != "x"+c.want {
			t.Errorf("appendDecimal(%d, %d) = %q, want %q", c.minor, c.exp, got[1:], c.want)
		}
	}
}

// TestMajor: an amount's number in XLSX is the double nearest its exact
// value, so it shows as the same decimal text.
func TestMajor(t *testing.T) {
	for _, c := range []struct {
		minor int64
		exp   int
		want  float64
	}{
		{9463, 2, 94.63},
		{-40, 2, -0.4},
		{388000, 2, 3880},
		{1, 8, 0.00000001},
		{123456789012345, 2, 1234567890123.45},
	} {
		if got := major(c.minor, c.exp); got != c.want {
			t.Errorf("major(%d, %d) = %v, want %v", c.minor, c.exp, got, c.want)
		}
	}
}

func TestWords(t *testing.T) {
	if err := i18n.Check(words); err != nil {
		t.Error(err)
	}
}
