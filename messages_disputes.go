package cambista

// Messages about proofs of payment and disputes.
var (
	MsgProofType        = Messages.Text("proof_type", "The proof must be an image (PNG, JPEG, GIF, WebP) or a PDF; this file is {{.Type}}.")
	MsgProofTooBig      = Messages.Text("proof_too_big", "The proof is larger than {{.Max}} MiB: attach a smaller image or PDF.")
	MsgProofHost        = Messages.Text("proof_host", "The proof must be a file attached in Discord.")
	MsgProofUnreachable = Messages.Text("proof_unreachable", "The proof could not be downloaded from Discord: attach it again.")
	MsgProofDigest      = Messages.Text("proof_digest", "The proof's SHA-256 does not match its bytes.")
)

// Disputes.
var (
	MsgDisputeNotCompleted = Messages.Text("dispute_not_completed", "Transfer #{{.ID}} is {{.Status}}: only a completed transfer can be disputed.")
	MsgDisputeLate         = Messages.Text("dispute_late", "Transfer #{{.ID}} was completed more than {{.Days}} days ago: it can no longer be disputed.")
	MsgDisputeTwice        = Messages.Text("dispute_twice", "Transfer #{{.ID}} is disputed already (dispute #{{.Dispute}}).")
	MsgDisputeDays         = Messages.Text("dispute_days", "{{printf \"%q\" .Input}} is not a number of days: write a whole number from 1 to 365.")
	MsgDisputeOutcome      = Messages.Text("dispute_outcome", "Say how the dispute ends: rejected or refunded.")
	MsgDisputeThread       = Messages.Text("dispute_thread", "Dispute #{{.ID}} of transfer #{{.Transfer}}. {{.Cashier}}, you paid this transfer: please tell the superusers here what you know.")

	MsgDMDisputeOpened   = Messages.Text("dm_dispute_opened", "We received your dispute #{{.ID}}: staff will look into it and answer you here.")
	MsgDMDisputeResolved = Messages.Text("dm_dispute_resolved", "Your dispute #{{.ID}} was resolved.")
)
