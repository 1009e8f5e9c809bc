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
