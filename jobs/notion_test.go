package jobs_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/shopspring/decimal"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/discord/discordtest"
	"github.com/cambista/cambista/jobs"
	"github.com/cambista/cambista/notion"
	"github.com/cambista/cambista/notion/notiontest"
	"github.com/cambista/cambista/rules"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// The databases as docs/notion.md tells an operator to create them.
var (
	accountsDB = notiontest.Schema{"Name": notiontest.TitleType, "Key": notiontest.RichTextType, "Status": notiontest.SelectType,
		"User": notiontest.RichTextType, "Currency": notiontest.SelectType, "Decided by": notiontest.RichTextType,
		"Reason": notiontest.RichTextType, "Requested": notiontest.DateType, "Updated": notiontest.DateType}
	withdrawalsDB = notiontest.Schema{"Name": notiontest.TitleType, "Key": notiontest.RichTextType, "Status": notiontest.SelectType,
		"User": notiontest.RichTextType, "Amount": notiontest.NumberType, "Currency": notiontest.SelectType,
		"Decided by": notiontest.RichTextType, "Reason": notiontest.RichTextType, "Requested": notiontest.DateType, "Updated": notiontest.DateType}
	batchesDB = notiontest.Schema{"Name": notiontest.TitleType, "Key": notiontest.RichTextType, "Status": notiontest.SelectType,
		"Cashier": notiontest.RichTextType, "Pair": notiontest.SelectType, "Capital": notiontest.NumberType, "Cost rate": notiontest.NumberType,
		"Opened": notiontest.DateType, "Closed": notiontest.DateType, "Transfers": notiontest.NumberType, "Paid out": notiontest.NumberType,
		"Cost": notiontest.NumberType, "Collected": notiontest.NumberType, "Gross profit": notiontest.NumberType,
		"Agent commissions": notiontest.NumberType, "Net profit": notiontest.NumberType, "Returned": notiontest.NumberType}
	depositsDB = notiontest.Schema{"Name": notiontest.TitleType, "Key": notiontest.RichTextType, "Status": notiontest.SelectType,
		"User": notiontest.RichTextType, "Amount": notiontest.NumberType, "Currency": notiontest.SelectType, "Method": notiontest.RichTextType,
		"Proof": notiontest.RichTextType, "Decided by": notiontest.RichTextType, "Reason": notiontest.RichTextType,
		"Declared": notiontest.DateType, "Updated": notiontest.DateType}
	refundsDB = notiontest.Schema{"Name": notiontest.TitleType, "Key": notiontest.RichTextType, "Status": notiontest.SelectType,
		"Kind": notiontest.SelectType, "Transfer": notiontest.NumberType, "Client": notiontest.RichTextType, "Amount": notiontest.NumberType,
		"Currency": notiontest.SelectType, "Credited to": notiontest.RichTextType, "Borne by": notiontest.SelectType,
		"Reason": notiontest.RichTextType, "Requested by": notiontest.RichTextType, "Approved by": notiontest.RichTextType,
		"Requested": notiontest.DateType, "Updated": notiontest.DateType}
)

// notionEnv is the worker's env with Notion on: the service mirrors
// every entity that has pages, and the worker delivers to a fake Notion.
func notionEnv(t *testing.T, st *store.Store) (*env, *notiontest.Server) {
	e := newEnv(t, st, jobs.Config{})
	fake := notiontest.New(t, map[string]notiontest.Schema{"db-accounts": accountsDB, "db-withdrawals": withdrawalsDB, "db-batches": batchesDB,
		"db-deposits": depositsDB, "db-refunds": refundsDB})
	dbs := map[string]string{"account": "db-accounts", "withdrawal": "db-withdrawals", "batch": "db-batches", "deposit": "db-deposits", "refund": "db-refunds"}
	mirrored := map[string]bool{}
	for entity := range dbs {
		mirrored[entity] = true
	}
	e.svc = app.New(st, app.Config{Bootstrap: []cambista.UserID{boot}, Notion: mirrored,
		RefundTwoSuperusersAbove: map[string]decimal.Decimal{"USD": decimal.NewFromInt(50)}})
	e.reg = prometheus.NewPedanticRegistry()
	e.w = jobs.New(e.svc, e.dg, jobs.Config{GuildID: discordtest.GuildID, Now: e.clock.Now}, nil, e.reg)
	e.w.DeliverNotion(jobs.NotionConfig{Client: notion.New(fake.URL, notiontest.Token, 1000), Databases: dbs})
	e.drain(5, time.Second)
	return e, fake
}

// TestNotionPages: an account request and a closed batch appear as Notion
// pages, kept up to date; retries, a lost answer and a deleted page never
// make a second page; a 429 waits for its Retry-After.
func TestNotionPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e, fake := notionEnv(t, st)
		acct := must(e.svc.RequestAccount(e.as(client), "", "USD"))
		e.drain(5, time.Second)
		pages := fake.Pages("db-accounts")
		key := "account:" + strconv.FormatInt(int64(acct.ID), 10)
		if len(pages) != 1 || pages[0].Properties["Key"] != key || pages[0].Properties["Status"] != "solicitada" ||
			pages[0].Properties["User"] != string(client) || pages[0].Properties["Currency"] != "USD" {
			t.Fatalf("account pages %+v", pages)
		}
		must(e.svc.DecideAccount(e.as(boot), "", app.Decision{ID: acct.ID, Approve: true}))
		e.drain(5, time.Second)
		if pages = fake.Pages("db-accounts"); len(pages) != 1 || pages[0].Properties["Status"] != "aprobada" || pages[0].Properties["Decided by"] != string(boot) {
			t.Fatalf("after approval: %+v", pages)
		}

		// The page was made but its ID not kept (Notion's answer lost): the
		// next change finds it by its key rather than making another.
		if _, err := st.DB().Exec(`DELETE FROM notion_pages`); err != nil {
			t.Fatal(err)
		}
		must(e.svc.SetAccountFrozen(e.as(boot), "", app.SetAccountFrozen{ID: acct.ID, Frozen: true}))
		e.drain(5, time.Second)
		if pages = fake.Pages("db-accounts"); len(pages) != 1 || pages[0].Properties["Status"] != "congelada" {
			t.Fatalf("after a lost answer: %+v", pages)
		}

		// Rate limited: the row waits for Retry-After, then goes through.
		fake.RateLimit(1, 30)
		must(e.svc.SetAccountFrozen(e.as(boot), "", app.SetAccountFrozen{ID: acct.ID, Frozen: false}))
		e.runOnce()
		sent := len(fake.Requests())
		e.clock.Advance(29 * time.Second)
		e.runOnce()
		if len(fake.Requests()) != sent {
			t.Fatal("a rate-limited row was tried again before its Retry-After")
		}
		e.clock.Advance(2 * time.Second)
		e.drain(3, time.Second)
		if pages = fake.Pages("db-accounts"); len(pages) != 1 || pages[0].Properties["Status"] != "aprobada" {
			t.Fatalf("after the 429: %+v", pages)
		}

		// Someone deleted the page in Notion: the next change makes it again.
		fake.DeletePage(pages[0].ID)
		must(e.svc.SetAccountFrozen(e.as(boot), "", app.SetAccountFrozen{ID: acct.ID, Frozen: true}))
		e.drain(5, time.Second)
		if pages = fake.Pages("db-accounts"); len(pages) != 1 || pages[0].Properties["Status"] != "congelada" {
			t.Fatalf("after a deletion: %+v", pages)
		}

		// A batch has a page once closed, with its summary.
		batch := must(e.svc.OpenBatches(e.as(cashier)))[0].Batch
		tr := e.send(client, "100")
		e.take(tr.ID)
		e.complete(tr.ID)
		e.drain(5, time.Second)
		if got := fake.Pages("db-batches"); len(got) != 0 {
			t.Fatalf("an open batch has a page: %+v", got)
		}
		must(e.svc.CloseBatch(e.as(cashier), "", batch.ID))
		e.drain(5, time.Second)
		got := fake.Pages("db-batches")
		want := map[string]string{"Status": "cerrado", "Pair": "USD/VES", "Transfers": "1", "Paid out": "3880", "Cost": "94.63",
			"Collected": "100", "Gross profit": "5.37", "Net profit": "5.37", "Returned": "996120", "Cashier": string(cashier)}
		if len(got) != 1 {
			t.Fatalf("batch pages %+v", got)
		}
		for k, v := range want {
			if got[0].Properties[k] != v {
				t.Fatalf("batch page %s = %q, want %q (%+v)", k, got[0].Properties[k], v, got[0].Properties)
			}
		}
		for _, r := range fake.Requests() {
			if r.Status >= 300 && r.Status != http.StatusTooManyRequests && r.Status != http.StatusNotFound {
				t.Fatalf("a request the fake refused: %s %s %d %s", r.Method, r.Path, r.Status, r.Body)
			}
		}
	})
}

// TestNotionWithdrawalPage: a withdrawal's page is created when it is
// requested and shows the superuser's decision.
func TestNotionWithdrawalPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e, fake := notionEnv(t, st)
		// other is an agent who earns a third of client's commission.
		ctx := e.as(boot)
		must(e.svc.SaveRule(ctx, "", rules.Rule{Name: "Agents", Priority: 10, Kind: rules.AgentShare,
			Effect: rules.Effect{Percent: decimal.RequireFromString("33.34")}}))
		must(e.svc.PublishRules(ctx, ""))
		must(e.svc.AssignRole(ctx, "", app.RoleChange{UserID: other, Role: cambista.RoleAgent}))
		must(e.svc.SetReferrer(ctx, "", app.Referral{ClientID: client, AgentID: other}))
		tr := e.send(client, "100")
		e.take(tr.ID)
		e.complete(tr.ID)
		acct := must(e.svc.RequestAccount(e.as(other), "", "USD"))
		must(e.svc.DecideAccount(ctx, "", app.Decision{ID: acct.ID, Approve: true}))
		wd := must(e.svc.RequestWithdrawal(e.as(other), "", app.RequestWithdrawal{Currency: "USD", Amount: "1"}))
		e.drain(10, time.Second)
		pages := fake.Pages("db-withdrawals")
		if len(pages) != 1 || pages[0].Properties["Status"] != "solicitada" || pages[0].Properties["Amount"] != "1" ||
			pages[0].Properties["Currency"] != "USD" || pages[0].Properties["Name"] != "retiro #"+strconv.FormatInt(int64(wd.ID), 10) {
			t.Fatalf("withdrawal pages %+v", pages)
		}
		must(e.svc.DecideWithdrawal(ctx, "", app.Decision{ID: wd.ID, Approve: false, Reason: "datos incompletos"}))
		e.drain(5, time.Second)
		if pages = fake.Pages("db-withdrawals"); len(pages) != 1 || pages[0].Properties["Status"] != "rechazada" ||
			pages[0].Properties["Reason"] != "datos incompletos" || pages[0].Properties["Decided by"] != string(boot) {
			t.Fatalf("after the decision: %+v", pages)
		}
	})
}

// TestNotionDepositAndRefundPages: a deposit's page follows it from
// declared to confirmed; a refund above the two-superuser limit appears
// requested, then posted with where the money went and who bore it.
func TestNotionDepositAndRefundPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e, fake := notionEnv(t, st)
		ctx := e.as(boot)
		acct := must(e.svc.RequestAccount(e.as(client), "", "USD"))
		must(e.svc.DecideAccount(ctx, "", app.Decision{ID: acct.ID, Approve: true}))
		d := must(e.svc.DeclareDeposit(e.as(client), "", app.DeclareDeposit{Currency: "USD", Amount: "25", Method: "Zelle",
			ProofURL: "https://cdn.discordapp.com/attachments/1/2/p.png"}))
		e.drain(10, time.Second)
		pages := fake.Pages("db-deposits")
		if len(pages) != 1 || pages[0].Properties["Status"] != "declarado" || pages[0].Properties["Amount"] != "25" ||
			pages[0].Properties["Method"] != "Zelle" || pages[0].Properties["Name"] != "depósito #"+strconv.FormatInt(int64(d.ID), 10) {
			t.Fatalf("deposit pages %+v", pages)
		}
		must(e.svc.DecideDeposit(e.as(cashier), "", app.Decision{ID: d.ID, Approve: true}))
		e.drain(10, time.Second)
		if pages = fake.Pages("db-deposits"); len(pages) != 1 || pages[0].Properties["Status"] != "confirmado" ||
			pages[0].Properties["Decided by"] != string(cashier) {
			t.Fatalf("after the confirmation: %+v", pages)
		}

		tr := e.send(client, "100")
		e.take(tr.ID)
		e.complete(tr.ID)
		r := must(e.svc.Refund(ctx, "", app.RefundTransfer{TransferID: tr.ID, Amount: "60", ToBalance: true, Reason: "cobro doble"}))
		e.drain(10, time.Second)
		pages = fake.Pages("db-refunds")
		if len(pages) != 1 || pages[0].Properties["Status"] != "solicitada" || pages[0].Properties["Kind"] != "reembolso" ||
			pages[0].Properties["Amount"] != "60" || pages[0].Properties["Transfer"] != strconv.FormatInt(int64(tr.ID), 10) ||
			pages[0].Properties["Credited to"] != "user:30:USD" {
			t.Fatalf("refund pages %+v", pages)
		}
		must(e.svc.AssignRole(ctx, "", app.RoleChange{UserID: other, Role: cambista.RoleSuperuser}))
		must(e.svc.ApproveRefund(e.as(other), "", app.Decision{ID: r.ID, Approve: true}))
		e.drain(10, time.Second)
		if pages = fake.Pages("db-refunds"); len(pages) != 1 || pages[0].Properties["Status"] != "asentado" ||
			pages[0].Properties["Approved by"] != string(other) || pages[0].Properties["Borne by"] != "lote" {
			t.Fatalf("after the approval: %+v", pages)
		}
	})
}
