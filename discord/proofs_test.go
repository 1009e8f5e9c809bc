package discord_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// receiptPNG is the start of a PNG file: enough for its type to be sniffed.
var receiptPNG = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{7}, 200)...)

// TestProofOfPayment: the cashier who took a transfer completes it with
// /transfer complete and a screenshot attached; the file is downloaded
// from Discord's CDN and kept with its SHA-256, and the client's DM
// carries the file and its hash. A file of the wrong type, one too large,
// one on another host and one that cannot be downloaded are refused in the
// cashier's language, and the transfer stays taken.
func TestProofOfPayment(t *testing.T) {
	type lang struct {
		locale                                   discordgo.Locale
		badType, tooBig, host, unreachable, done string
	}
	langs := map[string]lang{
		"es": {discordgo.SpanishLATAM, "debe ser una imagen", "pesa más de 8 MiB", "adjuntado en Discord", "No se pudo descargar", "completada"},
		"en": {discordgo.EnglishUS, "must be an image", "larger than 8 MiB", "attached in Discord", "could not be downloaded", "completed"},
	}
	eachModeAndLanguage(t, langs, func(t *testing.T, mode string, l lang) {
		storetest.Each(t, func(t *testing.T, s *store.Store) {
			w := newWorld(t, s, mode)
			e := apptest.Business(t, s)
			client, cashier := apptest.Client, apptest.Cashier
			w.member(client, l.locale)
			w.member(cashier, l.locale)
			apptest.Must(e.Svc.OpenBatch(e.As(cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "10000", CostRate: "41"}))
			tr := e.Send(client, "100")
			apptest.Must(e.Svc.TakeTransfer(e.As(cashier), "", tr.ID))

			complete := func(a *discordgo.MessageAttachment) *discordgo.InteractionResponse {
				data := discordgo.ApplicationCommandInteractionData{Name: "transfer", Options: []*discordgo.ApplicationCommandInteractionDataOption{
					subcmd("complete", opt("id", int64(tr.ID)), opt("reference", "BNC-771"),
						&discordgo.ApplicationCommandInteractionDataOption{Name: "proof", Type: discordgo.ApplicationCommandOptionAttachment, Value: a.ID})}}
				data.Resolved = &discordgo.ApplicationCommandInteractionDataResolved{Attachments: map[string]*discordgo.MessageAttachment{a.ID: a}}
				return w.answer(w.fake.Command(string(cashier), generalChannel, data))
			}

			w.want(complete(w.fake.Upload("notes.txt", "image/png", []byte("not a picture at all"))), l.badType)
			w.want(complete(w.fake.Upload("huge.png", "image/png", make([]byte, 8<<20+1))), l.tooBig)
			w.want(complete(&discordgo.MessageAttachment{ID: "9", URL: "https://files.example.com/receipt.png", Filename: "receipt.png"}), l.host)
			w.want(complete(&discordgo.MessageAttachment{ID: "9", URL: w.fake.URL() + "/attachments/9/gone.png", Filename: "gone.png"}), l.unreachable)
			if got := apptest.Must(e.Svc.Transfer(e.As(cashier), tr.ID)); got.Status != cambista.TransferTaken {
				t.Fatalf("a refused proof left the transfer %s", got.Status)
			}
			if _, err := e.Svc.TransferProof(e.As(cashier), tr.ID); cambista.ErrorCode(err) != cambista.ENOTFOUND {
				t.Fatalf("a refused proof was kept: %v", err)
			}

			w.want(complete(w.fake.Upload("recibo.png", "image/png", receiptPNG)), l.done)
			sum := sha256.Sum256(receiptPNG)
			hash := hex.EncodeToString(sum[:])
			p := apptest.Must(e.Svc.TransferProof(e.As(client), tr.ID))
			if p.SHA256 != hash || !bytes.Equal(p.Data, receiptPNG) || p.ContentType != "image/png" {
				t.Fatalf("kept %+v", p)
			}
			w.deliver()
			var dm *struct{ text, data string }
			for _, m := range w.fake.Messages(w.fake.DMChannel(string(client))) {
				if len(m.Attachments) == 1 {
					dm = &struct{ text, data string }{messageText(m), string(m.Attachments[0].Data)}
				}
			}
			if dm == nil || dm.data != string(receiptPNG) || !strings.Contains(dm.text, hash) || !strings.Contains(dm.text, "recibo.png") {
				t.Fatalf("the client's DM lacks the proof: %+v", dm)
			}
			if v, err := app.CheckLedger(system(), w.e.Store); err != nil || len(v) != 0 {
				t.Fatalf("ledger: %v %v", v, err)
			}
			if _, err := app.VerifyAudit(system(), w.e.Store); err != nil {
				t.Fatal(err)
			}
		})
	})
}
