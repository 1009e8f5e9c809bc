package playground

import (
	"testing"

	"github.com/cambista/cambista/i18n"
)

func TestWords(t *testing.T) {
	if err := i18n.Check(words); err != nil {
		t.Fatal(err)
	}
}

func TestText(t *testing.T) {
	v := &view{names: map[string]string{"@1": "Ana", "#2": "cashier"}}
	got := v.Text("<@1> in <#2> until <t:1796282775:f>, <@3>")
	if want := "@Ana in #cashier until 2026-12-03 07:26 UTC, <@3>"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}
