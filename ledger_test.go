package cambista_test

import (
	"fmt"
	"testing"

	"github.com/cambista/cambista"
)

func TestEntryDescription(t *testing.T) {
	for _, tc := range []struct {
		description string
		ref         cambista.ID
		want        cambista.MessageDef
	}{
		{fmt.Sprintf("transfer %d", 7), 7, cambista.MsgEntryTransfer},
		{fmt.Sprintf("batch %d capital", 2), 2, cambista.MsgEntryBatchCapital},
		{fmt.Sprintf("batch %d capital returned", 2), 2, cambista.MsgEntryBatchReturned},
		{"withdrawal", 5, cambista.MsgEntryWithdrawal},
	} {
		got := cambista.EntryDescription(tc.description, tc.ref)
		if got.ID != tc.want.ID || got.String() != tc.description {
			t.Errorf("EntryDescription(%q, %d) = %+v, want %s rendering the same text", tc.description, tc.ref, got, tc.want.ID)
		}
	}
	// Another text, or a known one that names another entity, is kept as it is.
	for _, d := range []string{"seed", "transfer 8"} {
		if got := cambista.EntryDescription(d, 7); got.ID != "" || got.String() != d {
			t.Errorf("EntryDescription(%q, 7) = %+v, want the text as it is", d, got)
		}
	}
}
