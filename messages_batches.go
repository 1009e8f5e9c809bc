package cambista

// Messages about cashiers' batches.
var (
	MsgNoOpenBatch      = Messages.Text("no_open_batch", "You have no open batch for {{.Pair}}. Open one with /batch open.")
	MsgNotYourBatch     = Messages.Text("not_your_batch", "Batch #{{.ID}} belongs to another cashier.")
	MsgBatchRateInvalid = Messages.Text("batch_rate_invalid", "Invalid cost rate {{printf \"%q\" .Input}}: write what the capital cost, in {{.Quote}} per 1 {{.Base}}, for example 41.00.")
	MsgBatchShort       = Messages.Text("batch_short", "Batch #{{.ID}} has {{.Remaining}} left, not enough to pay {{.Needed}}. Close it and open a new one with more capital.")
	MsgBatchHasTaken    = Messages.Text("batch_has_taken", "Batch #{{.ID}} still has transfers taken but not finished: {{.List}}. Complete, reject or release them first.")
)
