package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/i18n"
	"github.com/cambista/cambista/ledger"
	"github.com/cambista/cambista/money"
	"github.com/cambista/cambista/notion"
)

// NotionConfig is where the worker keeps Notion pages.
type NotionConfig struct {
	Client *notion.Client
	// Databases maps each entity with pages (batch, account, withdrawal,
	// deposit, refund) to the ID of its Notion database.
	Databases map[string]string
}

// keyProperty is the rich_text property of every database that holds the
// entity's key ("batch:7"): how a page is found again when its ID was not
// saved (Notion created it, and its answer was lost).
const keyProperty = "Key"

// DeliverNotion makes the worker deliver app.KindNotion rows too: each
// creates or updates the entity's page in its database, drawn from the
// entity's state at delivery. Call it before Run.
func (w *Worker) DeliverNotion(cfg NotionConfig) {
	w.handlers[app.KindNotion] = func(ctx context.Context, _ *app.DiscordConfig, m *cambista.OutboxMessage) error {
		return w.syncNotion(ctx, cfg, m)
	}
	w.kinds = slices.Sorted(maps.Keys(w.handlers))
}

// notionPages draws each entity's page properties, in the language of the
// channel cards. A new kind of page is an entry here and in
// app.notionEvents, and the ID of its database.
var notionPages = map[string]func(ctx context.Context, w *Worker, id cambista.ID) (notion.Properties, error){
	"account":    accountPage,
	"withdrawal": withdrawalPage,
	"deposit":    depositPage,
	"refund":     refundPage,
	"batch":      batchPage,
}

func (w *Worker) syncNotion(ctx context.Context, cfg NotionConfig, m *cambista.OutboxMessage) error {
	var s app.NotionSync
	if err := json.Unmarshal(m.Payload, &s); err != nil {
		return permanent(fmt.Errorf("notion payload: %w", err))
	}
	db, draw := cfg.Databases[s.Entity], notionPages[s.Entity]
	if db == "" || draw == nil {
		w.log.Debug("no Notion database for the entity; page skipped", "outbox_id", m.ID, "entity", s.Entity)
		return nil
	}
	props, err := draw(ctx, w, s.ID)
	if err != nil {
		return err
	}
	key := s.Entity + ":" + strconv.FormatInt(int64(s.ID), 10)
	props[keyProperty] = notion.Text(key)
	page, err := w.app.NotionPage(ctx, s.Entity, s.ID)
	if err != nil {
		return err
	}
	if page != "" {
		err := cfg.Client.UpdatePage(ctx, page, props)
		var ne *notion.Error
		if !errors.As(err, &ne) || ne.Status != http.StatusNotFound {
			return notionError(err)
		}
		w.log.Info("Notion page was deleted; making it again", "entity", s.Entity, "id", s.ID)
	}
	// Look for the page before creating it: a create whose answer was lost
	// made it already.
	if page, err = cfg.Client.FindPage(ctx, db, keyProperty, key); err != nil {
		return notionError(err)
	}
	if page != "" {
		err = cfg.Client.UpdatePage(ctx, page, props)
	} else {
		page, err = cfg.Client.CreatePage(ctx, db, props)
	}
	if err != nil {
		return notionError(err)
	}
	return w.app.SaveNotionPage(context.WithoutCancel(ctx), s.Entity, s.ID, page)
}

// notionError marks what no retry fixes: a request Notion finds malformed
// (400: the database lacks a property, or has it of another type) waits
// for an operator, and is given up so that they see it. The rest (401,
// 403 and 404 while the integration is not shared with the database, 429,
// 5xx, the network) is retried with backoff, a 429 after its Retry-After.
func notionError(err error) error {
	var ne *notion.Error
	if errors.As(err, &ne) && ne.Status == http.StatusBadRequest {
		return permanent(err)
	}
	return err
}

// page starts an entity's properties: its title and state.
func page(l i18n.Lang, entity string, id cambista.ID, status string) notion.Properties {
	return notion.Properties{
		"Name":   notion.Title(i18n.Word(l, entity) + " #" + strconv.FormatInt(int64(id), 10)),
		"Status": notion.Select(i18n.Word(l, status)),
	}
}

func decimal(a money.Amount) any { return notion.Number(a.Decimal().String()) }

func accountPage(ctx context.Context, w *Worker, id cambista.ID) (notion.Properties, error) {
	a, err := w.app.Account(ctx, id)
	if err != nil {
		return nil, err
	}
	p := page(w.cfg.DefaultLang, "account", a.ID, string(a.Status))
	p["User"] = notion.Text(string(a.UserID))
	p["Currency"] = notion.Select(a.Currency)
	p["Decided by"] = notion.Text(string(a.DecidedBy))
	p["Reason"] = notion.Text(a.Reason)
	p["Requested"] = notion.Date(a.CreatedAt)
	p["Updated"] = notion.Date(a.UpdatedAt)
	return p, nil
}

func withdrawalPage(ctx context.Context, w *Worker, id cambista.ID) (notion.Properties, error) {
	wd, err := w.app.Withdrawal(ctx, id)
	if err != nil {
		return nil, err
	}
	p := page(w.cfg.DefaultLang, "withdrawal", wd.ID, string(wd.Status))
	p["User"] = notion.Text(string(wd.UserID))
	p["Amount"] = decimal(wd.Amount)
	p["Currency"] = notion.Select(wd.Amount.Currency.Code)
	p["Decided by"] = notion.Text(string(wd.DecidedBy))
	p["Reason"] = notion.Text(wd.Reason)
	p["Requested"] = notion.Date(wd.CreatedAt)
	p["Updated"] = notion.Date(wd.UpdatedAt)
	return p, nil
}

func depositPage(ctx context.Context, w *Worker, id cambista.ID) (notion.Properties, error) {
	d, err := w.app.Deposit(ctx, id)
	if err != nil {
		return nil, err
	}
	p := page(w.cfg.DefaultLang, "deposit", d.ID, string(d.Status))
	p["User"] = notion.Text(string(d.UserID))
	p["Amount"] = decimal(d.Amount)
	p["Currency"] = notion.Select(d.Amount.Currency.Code)
	p["Method"] = notion.Text(d.Method)
	p["Proof"] = notion.Text(d.ProofURL)
	p["Decided by"] = notion.Text(string(d.DecidedBy))
	p["Reason"] = notion.Text(d.Reason)
	p["Declared"] = notion.Date(d.CreatedAt)
	p["Updated"] = notion.Date(d.UpdatedAt)
	return p, nil
}

// refundPage shows a refund or reversal: where the money went (the
// client's ledger account, or the world's when it was returned outside)
// and, once posted, who bore it (the batch, or the house after closing).
func refundPage(ctx context.Context, w *Worker, id cambista.ID) (notion.Properties, error) {
	r, err := w.app.RefundOf(ctx, id)
	if err != nil {
		return nil, err
	}
	l := w.cfg.DefaultLang
	p := page(l, "refund", r.ID, string(r.Status))
	p["Kind"] = notion.Select(i18n.Word(l, string(r.Kind)))
	p["Transfer"] = notion.Number(strconv.FormatInt(int64(r.TransferID), 10))
	p["Client"] = notion.Text(string(r.ClientID))
	p["Amount"] = decimal(r.Amount)
	p["Currency"] = notion.Select(r.Amount.Currency.Code)
	to := ledger.World(r.Amount.Currency.Code)
	if r.ToBalance {
		to = ledger.User(r.ClientID, r.Amount.Currency.Code)
	}
	p["Credited to"] = notion.Text(string(to))
	charged := ""
	if r.Charged != "" {
		charged = i18n.Word(l, r.Charged)
	}
	p["Borne by"] = notion.Select(charged)
	p["Reason"] = notion.Text(r.Reason)
	p["Requested by"] = notion.Text(string(r.RequestedBy))
	p["Approved by"] = notion.Text(string(r.ApprovedBy))
	p["Requested"] = notion.Date(r.CreatedAt)
	p["Updated"] = notion.Date(r.UpdatedAt)
	return p, nil
}

// batchPage shows a batch with its summary: amounts paid out and returned
// are in the pair's quote currency, the others in its base.
func batchPage(ctx context.Context, w *Worker, id cambista.ID) (notion.Properties, error) {
	st, err := w.app.BatchStatus(ctx, id)
	if err != nil {
		return nil, err
	}
	b := st.Batch
	p := page(w.cfg.DefaultLang, "batch", b.ID, string(b.Status))
	p["Cashier"] = notion.Text(string(b.CashierID))
	p["Pair"] = notion.Select(b.Base + "/" + b.Quote)
	p["Capital"] = decimal(b.Capital)
	p["Cost rate"] = notion.Number(b.CostRate.String())
	p["Opened"] = notion.Date(b.OpenedAt)
	p["Closed"] = notion.Date(b.ClosedAt)
	if s := st.Summary; s != nil {
		p["Transfers"] = notion.Number(strconv.Itoa(s.Transfers))
		p["Paid out"] = decimal(s.PaidOut)
		p["Cost"] = decimal(s.Cost)
		p["Collected"] = decimal(s.Collected)
		p["Gross profit"] = decimal(s.GrossProfit)
		p["Agent commissions"] = decimal(s.AgentCommissions)
		p["Net profit"] = decimal(s.NetProfit)
		p["Returned"] = decimal(s.Returned)
	}
	return p, nil
}
