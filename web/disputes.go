package web

import (
	"maps"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/cambista/cambista"
)

// Proofs of payment and disputes on the panel: a transfer's page shows its
// proof (served by transferProof) and its dispute; the approvals page
// lists the disputes waiting for a superuser; the alerts page sets how
// long after completion a transfer can be disputed.

// MsgDisputeDaysSaved confirms the dispute window.
var MsgDisputeDaysSaved = words.Text("panel_dispute_days_saved", "Transfers can now be disputed up to {{.Days}} days after their completion.")

func init() {
	maps.Copy(labels, define(map[string]string{
		"tr.proof_file":       "Proof of payment (file)",
		"tr.proof_sha":        "SHA-256",
		"tr.disputes":         "Dispute",
		"disp.claim":          "The client says",
		"disp.resolution":     "Resolved by",
		"disp.refund":         "Refund",
		"appr.disputes":       "Open disputes",
		"appr.disputes_help":  "A superuser resolves a dispute in Discord, with /dispute resolve, after discussing it in its thread of the admin channel.",
		"alerts.disputes":     "Disputes",
		"alerts.dispute_days": "Days after completion a client can dispute a transfer",
		"alerts.save_days":    "Save",
	}))
}

// transferProof serves a transfer's proof of payment to whoever may read
// the transfer, as the type sniffed when it was stored; images show in
// the page, a PDF downloads.
func (p *Panel) transferProof(w http.ResponseWriter, r *request) {
	id, err := pathID(r)
	var proof *cambista.Proof
	if err == nil {
		proof, err = p.svc.TransferProof(r.Context(), id)
	}
	if err != nil {
		p.fail(w, r, err)
		return
	}
	disposition := "attachment"
	if strings.HasPrefix(proof.ContentType, "image/") {
		disposition = "inline"
	}
	h := w.Header()
	h.Set("Content-Type", proof.ContentType)
	h.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": proof.Filename}))
	h.Set("Content-Length", strconv.Itoa(len(proof.Data)))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	w.Write(proof.Data)
}

// saveDisputeDays sets the dispute window.
func (p *Panel) saveDisputeDays(w http.ResponseWriter, r *request) {
	days, err := p.svc.SetDisputeDays(r.Context(), r.PostFormValue(keyField), r.PostFormValue("dispute_days"))
	if err != nil {
		p.refuse(w, r, err, "/alerts")
		return
	}
	p.done(w, r, "/alerts", MsgDisputeDaysSaved.Msg("Days", days))
}
