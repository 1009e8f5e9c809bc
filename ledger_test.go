package cambista_test

import (
	"testing"

	"github.com/cambista/cambista"
)

func TestEntryDescription(t *testing.T) {
	for _, tc := range []struct {
		d      cambista.EntryDescription
		id     string // the message's ID
		reads  string // its English words
		params int
	}{
		{cambista.TransferEntry(7), cambista.MsgEntryTransfer.ID, "transfer 7", 1},
		{cambista.BatchCapitalEntry(2), cambista.MsgEntryBatchCapital.ID, "batch 2 capital", 1},
		{cambista.BatchReturnedEntry(2), cambista.MsgEntryBatchReturned.ID, "batch 2 capital returned", 1},
		{cambista.WithdrawalEntry(), cambista.MsgEntryWithdrawal.ID, "withdrawal", 0},
		{cambista.DepositEntry(4), cambista.MsgEntryDeposit.ID, "deposit 4", 1},
		{cambista.RefundEntry(cambista.KindRefund, 3, 12), cambista.MsgEntryRefund.ID, "refund 3 of transfer 12", 2},
		{cambista.RefundEntry(cambista.KindReversal, 5, 12), cambista.MsgEntryReversal.ID, "reversal 5 of transfer 12", 2},
		// Old words are shown as they are, never run as a template.
		{cambista.EntryDescription{Kind: cambista.EntryText, Params: map[string]string{"Text": "seed {{.ID}}"}},
			cambista.MsgEntryText.ID, "seed {{.ID}}", 1},
		// A kind this version does not know reads as its code.
		{cambista.EntryDescription{Kind: "rebate", Params: map[string]string{"ID": "3"}}, cambista.MsgEntryText.ID, "rebate", 1},
	} {
		m := tc.d.Message()
		if m.ID != tc.id || m.String() != tc.reads || len(m.Data) != tc.params {
			t.Errorf("%+v reads %q (message %s, data %v), want %q (message %s)", tc.d, m.String(), m.ID, m.Data, tc.reads, tc.id)
		}
	}
}
