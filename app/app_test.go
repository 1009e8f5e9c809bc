package app_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/rules"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

const boot = apptest.Boot

// env is a service over a fresh database with a bootstrap superuser.
type env struct{ *apptest.Env }

func newEnv(t testing.TB, s *store.Store) *env { return &env{apptest.New(t, s, app.Config{})} }

func (e *env) auditCount() int64 {
	e.T.Helper()
	n, err := app.VerifyAudit(context.Background(), e.Store)
	if err != nil {
		e.T.Fatal(err)
	}
	return n
}

func (e *env) count(table string) int {
	e.T.Helper()
	var n int
	if err := e.Store.DB().QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		e.T.Fatal(err)
	}
	return n
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if cambista.ErrorCode(err) != code {
		t.Fatalf("got %v (code %q), want code %q", err, cambista.ErrorCode(err), code)
	}
}

func (e *env) seedCatalog() {
	e.T.Helper()
	ctx := e.As(boot)
	for _, c := range []app.AddCurrency{{Code: "USD", Exponent: 2, Name: "US dollar"}, {Code: "VES", Exponent: 2, Name: "Bolívar"}} {
		if _, err := e.Svc.AddCurrency(ctx, "", c); err != nil {
			e.T.Fatal(err)
		}
	}
	if _, err := e.Svc.AddCountry(ctx, "", app.AddCountry{Code: "VE", Name: "Venezuela", Currency: "VES"}); err != nil {
		e.T.Fatal(err)
	}
}

func TestRegister(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		t.Run("OK", func(t *testing.T) {
			u, err := e.Svc.Register(e.As("42"), "k1", app.Register{DisplayName: "  Ana  "})
			if err != nil {
				t.Fatal(err)
			}
			if u.DisplayName != "Ana" || u.Locale != "es" || !u.Roles.Has(cambista.RoleClient) || u.Roles.Has(cambista.RoleSuperuser) {
				t.Fatalf("registered %+v", u)
			}
			// Registering again updates the profile.
			u, err = e.Svc.Register(e.As("42"), "k2", app.Register{DisplayName: "Ana María", Locale: "en"})
			if err != nil || u.DisplayName != "Ana María" || u.Locale != "en" {
				t.Fatalf("re-register: %+v %v", u, err)
			}
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			before := e.auditCount()
			_, err := e.Svc.Register(e.As("43"), "", app.Register{DisplayName: " "})
			wantCode(t, err, cambista.EINVALID)
			if got := cambista.ErrorMessage(err).ID; got != cambista.MsgBadDisplayName.ID {
				t.Fatalf("message %s", got)
			}
			if e.auditCount() != before {
				t.Fatal("a refused registration left an audit event")
			}
			_, err = e.Svc.Register(context.Background(), "", app.Register{DisplayName: "x"})
			wantCode(t, err, cambista.EINVALID)
		})
		t.Run("BootstrapSuperuser", func(t *testing.T) {
			u, err := e.Svc.Register(e.As(boot), "", app.Register{DisplayName: "Owner"})
			if err != nil || !u.Roles.Has(cambista.RoleSuperuser) || u.DisplayName != "Owner" {
				t.Fatalf("bootstrap user after registering: %+v %v", u, err)
			}
			// Bootstrap again changes nothing.
			n := e.auditCount()
			if err := e.Svc.Bootstrap(context.Background()); err != nil || e.auditCount() != n {
				t.Fatalf("second bootstrap: %v, %d → %d events", err, n, e.auditCount())
			}
		})
	})
}

func TestProfile(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		e.seedCatalog()
		e.User("42")
		e.User("43")
		ve, agent := "ve", cambista.UserTypeAgent
		u, err := e.Svc.UpdateProfile(e.As("42"), "", app.Profile{Country: &ve})
		if err != nil || u.Country != "VE" || u.Type != cambista.UserTypeClient {
			t.Fatalf("profile: %+v %v", u, err)
		}
		// A client cannot make themselves an agent, nor a superuser
		// themselves: it is a request another superuser decides.
		_, err = e.Svc.UpdateProfile(e.As("42"), "", app.Profile{Type: &agent})
		wantCode(t, err, cambista.EFORBIDDEN)
		_, err = e.Svc.UpdateProfile(e.As(boot), "", app.Profile{Type: &agent})
		wantCode(t, err, cambista.EFORBIDDEN)
		if u := apptest.Must(e.Svc.User(e.As(boot), "42")); u.Type != cambista.UserTypeClient {
			t.Fatalf("a refused change changed the type: %+v", u)
		}
		if u := apptest.Must(e.Svc.UpdateProfile(e.As(boot), "", app.Profile{UserID: "43", Type: &agent})); u.Type != cambista.UserTypeAgent {
			t.Fatalf("a superuser set another's type: %+v", u)
		}
		xx := "XX"
		_, err = e.Svc.UpdateProfile(e.As("42"), "", app.Profile{Country: &xx})
		wantCode(t, err, cambista.ENOTFOUND)
		bad := cambista.UserType("boss")
		_, err = e.Svc.UpdateProfile(e.As(boot), "", app.Profile{UserID: "42", Type: &bad})
		wantCode(t, err, cambista.EINVALID)
		// Someone else's profile: only a superuser.
		_, err = e.Svc.UpdateProfile(e.As("43"), "", app.Profile{UserID: "42", Country: &ve})
		wantCode(t, err, cambista.EFORBIDDEN)
		if _, err := e.Svc.UpdateProfile(e.As(boot), "", app.Profile{UserID: "43", Country: &ve}); err != nil {
			t.Fatal(err)
		}
		// A disabled country cannot be chosen.
		if _, err := e.Svc.SetCountryEnabled(e.As(boot), "", app.Toggle{Code: "VE", Enabled: false}); err != nil {
			t.Fatal(err)
		}
		_, err = e.Svc.UpdateProfile(e.As("42"), "", app.Profile{Country: &ve})
		wantCode(t, err, cambista.ECONFLICT)
	})
}

func TestRoles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		e.User("42")
		outbox := e.count("outbox")
		u, err := e.Svc.AssignRole(e.As(boot), "", app.RoleChange{UserID: "42", Role: cambista.RoleCashier})
		if err != nil || !u.Roles.Has(cambista.RoleCashier) {
			t.Fatalf("assign: %+v %v", u, err)
		}
		if e.count("outbox") != outbox+1 {
			t.Fatal("assigning a role wrote no outbox message for Discord")
		}
		a, _ := e.Svc.Actor(context.Background(), "42", "")
		if !a.Can(cambista.ActOpenBatch) {
			t.Fatal("a new cashier cannot open batches")
		}
		// Only superusers assign roles.
		_, err = e.Svc.AssignRole(e.As("42"), "", app.RoleChange{UserID: "42", Role: cambista.RoleSuperuser})
		wantCode(t, err, cambista.EFORBIDDEN)
		_, err = e.Svc.RemoveRole(e.As(boot), "", app.RoleChange{UserID: "42", Role: cambista.RoleClient})
		wantCode(t, err, cambista.EINVALID)
		_, err = e.Svc.RemoveRole(e.As(boot), "", app.RoleChange{UserID: "42", Role: cambista.RoleAgent})
		wantCode(t, err, cambista.ECONFLICT)
		_, err = e.Svc.RemoveRole(e.As(boot), "", app.RoleChange{UserID: boot, Role: cambista.RoleSuperuser})
		wantCode(t, err, cambista.ECONFLICT)
		if cambista.ErrorMessage(err).ID != cambista.MsgLastSuperuser.ID {
			t.Fatalf("message %s", cambista.ErrorMessage(err).ID)
		}
		_, err = e.Svc.AssignRole(e.As(boot), "", app.RoleChange{UserID: "77", Role: cambista.RoleCashier})
		wantCode(t, err, cambista.ENOTFOUND)
		if _, err := e.Svc.RemoveRole(e.As(boot), "", app.RoleChange{UserID: "42", Role: cambista.RoleCashier}); err != nil {
			t.Fatal(err)
		}
		a, _ = e.Svc.Actor(context.Background(), "42", "")
		if a.Can(cambista.ActOpenBatch) {
			t.Fatal("a removed cashier can still open batches")
		}
	})
}

func TestRates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		e.seedCatalog()
		ctx := e.As(boot)
		for _, v := range []string{"39,50", "40.00"} {
			if _, err := e.Svc.SetRate(ctx, "", app.SetRate{Base: "usd", Quote: "VES", Value: v}); err != nil {
				t.Fatal(err)
			}
		}
		r, err := e.Svc.CurrentRate(ctx, "USD", "VES")
		if err != nil || r.Value.String() != "40" || r.SetBy != boot {
			t.Fatalf("current: %+v %v", r, err)
		}
		hist, err := e.Svc.RateHistory(ctx, "USD", "VES", 10)
		if err != nil || len(hist) != 2 || hist[1].Value.String() != "39.5" {
			t.Fatalf("history: %v %v", hist, err)
		}
		for _, tc := range []struct {
			in   app.SetRate
			code string
		}{
			{app.SetRate{Base: "USD", Quote: "VES", Value: "abc"}, cambista.EINVALID},
			{app.SetRate{Base: "USD", Quote: "VES", Value: "-3"}, cambista.EINVALID},
			{app.SetRate{Base: "USD", Quote: "VES", Value: "0"}, cambista.EINVALID},
			{app.SetRate{Base: "USD", Quote: "USD", Value: "1"}, cambista.EINVALID},
			{app.SetRate{Base: "USD", Quote: "EUR", Value: "1"}, cambista.ENOTFOUND},
		} {
			_, err := e.Svc.SetRate(ctx, "", tc.in)
			wantCode(t, err, tc.code)
		}
		_, err = e.Svc.CurrentRate(ctx, "VES", "USD")
		wantCode(t, err, cambista.ENOTFOUND)
		if cambista.ErrorMessage(err).ID != cambista.MsgNoRate.ID {
			t.Fatalf("message %s", cambista.ErrorMessage(err).ID)
		}
		if _, err := e.Svc.SetCurrencyEnabled(ctx, "", app.Toggle{Code: "VES"}); err != nil {
			t.Fatal(err)
		}
		_, err = e.Svc.SetRate(ctx, "", app.SetRate{Base: "USD", Quote: "VES", Value: "41"})
		wantCode(t, err, cambista.ECONFLICT)
	})
}

func TestCatalogErrors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		e.seedCatalog()
		ctx := e.As(boot)
		for _, tc := range []struct {
			in   app.AddCurrency
			code string
		}{
			{app.AddCurrency{Code: "US", Exponent: 2, Name: "x"}, cambista.EINVALID},
			{app.AddCurrency{Code: "COP", Exponent: 9, Name: "x"}, cambista.EINVALID},
			{app.AddCurrency{Code: "COP", Exponent: 2, Name: ""}, cambista.EINVALID},
			{app.AddCurrency{Code: "COP", Exponent: 2, Name: "Peso", Rounding: "up"}, cambista.EINVALID},
			{app.AddCurrency{Code: "usd", Exponent: 2, Name: "again"}, cambista.ECONFLICT},
		} {
			_, err := e.Svc.AddCurrency(ctx, "", tc.in)
			wantCode(t, err, tc.code)
		}
		c, err := e.Svc.AddCurrency(ctx, "", app.AddCurrency{Code: "clp", Exponent: 0, Name: "Peso chileno", Rounding: "half_up"})
		if err != nil || c.Code != "CLP" || c.Rounding.String() != "half_up" {
			t.Fatalf("CLP: %+v %v", c, err)
		}
		_, err = e.Svc.AddCountry(ctx, "", app.AddCountry{Code: "CL", Name: "Chile", Currency: "XYZ"})
		wantCode(t, err, cambista.ENOTFOUND)
		_, err = e.Svc.AddCountry(ctx, "", app.AddCountry{Code: "CHL", Name: "Chile", Currency: "CLP"})
		wantCode(t, err, cambista.EINVALID)
		_, err = e.Svc.AddCountry(ctx, "", app.AddCountry{Code: "VE", Name: "Venezuela", Currency: "VES"})
		wantCode(t, err, cambista.ECONFLICT)
	})
}

// TestCatalog: anyone reads the enabled currencies and countries — a
// client, someone who has not registered, a frozen user — and nobody reads
// the disabled ones there.
func TestCatalog(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		e.seedCatalog()
		ctx := e.As(boot)
		apptest.Must(e.Svc.AddCurrency(ctx, "", app.AddCurrency{Code: "VEF", Exponent: 2, Name: "Bolívar fuerte"}))
		apptest.Must(e.Svc.AddCountry(ctx, "", app.AddCountry{Code: "CO", Name: "Colombia", Currency: "USD"}))
		apptest.Must(e.Svc.SetCurrencyEnabled(ctx, "", app.Toggle{Code: "VEF"}))
		apptest.Must(e.Svc.SetCountryEnabled(ctx, "", app.Toggle{Code: "CO"}))
		e.User("10")
		for name, actor := range map[string]cambista.Actor{
			"Client":       apptest.Must(e.Svc.Actor(context.Background(), "10", "")),
			"Unregistered": apptest.Must(e.Svc.Actor(context.Background(), "77", "")),
			"Frozen":       {UserID: "10", Roles: cambista.RoleSet(0).With(cambista.RoleClient), Frozen: true},
		} {
			t.Run(name, func(t *testing.T) {
				c, err := e.Svc.Catalog(cambista.WithActor(context.Background(), actor))
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, cur := range c.Currencies {
					got = append(got, cur.Code)
				}
				for _, co := range c.Countries {
					got = append(got, co.Code)
				}
				if fmt.Sprint(got) != "[USD VES VE]" {
					t.Fatalf("catalog %v, want the enabled USD VES VE", got)
				}
			})
		}
	})
}

// TestUseCasesAuthorize runs every use case of this package as every role
// and checks it is refused exactly when the matrix says so.
func TestUseCasesAuthorize(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		e.seedCatalog()
		ids := map[cambista.Role]cambista.UserID{cambista.RoleClient: "10", cambista.RoleAgent: "11", cambista.RoleCashier: "12", cambista.RoleSuperuser: "13"}
		for r, id := range ids {
			if r == cambista.RoleClient {
				e.User(id)
			} else {
				e.User(id, r)
			}
		}
		e.User("20")
		ve := "VE"
		n := 0
		// A transfer of user 20's waiting for a cashier.
		apptest.Must(e.Svc.AddCountry(e.As(boot), "", app.AddCountry{Code: "US", Name: "United States", Currency: "USD"}))
		apptest.Must(e.Svc.SetRate(e.As(boot), "", app.SetRate{Base: "USD", Quote: "VES", Value: "40"}))
		waiting := e.Send("20", "10")
		e.Account("20", "USD")
		cases := []struct {
			act cambista.Action
			run func(ctx context.Context) error
		}{
			{cambista.ActManageCurrency, func(ctx context.Context) error {
				n++
				_, err := e.Svc.AddCurrency(ctx, "", app.AddCurrency{Code: fmt.Sprintf("C%cX", 'A'+n), Exponent: 2, Name: "x"})
				return err
			}},
			{cambista.ActManageCurrency, func(ctx context.Context) error {
				// Off and on again: a switch that changes nothing is refused.
				_, err := e.Svc.SetCurrencyEnabled(ctx, "", app.Toggle{Code: "USD", Enabled: false})
				if err == nil {
					_, err = e.Svc.SetCurrencyEnabled(ctx, "", app.Toggle{Code: "USD", Enabled: true})
				}
				return err
			}},
			{cambista.ActManageRules, func(ctx context.Context) error {
				v, err := e.Svc.SaveRule(ctx, "", rules.Rule{Name: "x", Kind: rules.AgentShare, Effect: rules.Effect{Percent: decimal.NewFromInt(10)}})
				if err == nil {
					_, err = e.Svc.DiscardDraft(ctx, "", v.RuleID)
				}
				return err
			}},
			{cambista.ActManageCountry, func(ctx context.Context) error {
				n++
				_, err := e.Svc.AddCountry(ctx, "", app.AddCountry{Code: fmt.Sprintf("Q%c", 'A'+n), Name: "x", Currency: "USD"})
				return err
			}},
			{cambista.ActManageCountry, func(ctx context.Context) error {
				_, err := e.Svc.SetCountryEnabled(ctx, "", app.Toggle{Code: "VE", Enabled: false})
				if err == nil {
					_, err = e.Svc.SetCountryEnabled(ctx, "", app.Toggle{Code: "VE", Enabled: true})
				}
				return err
			}},
			{cambista.ActSetRate, func(ctx context.Context) error {
				_, err := e.Svc.SetRate(ctx, "", app.SetRate{Base: "USD", Quote: "VES", Value: "40"})
				return err
			}},
			{cambista.ActAssignRole, func(ctx context.Context) error {
				_, err := e.Svc.AssignRole(ctx, "", app.RoleChange{UserID: "20", Role: cambista.RoleAgent})
				return err
			}},
			{cambista.ActAssignRole, func(ctx context.Context) error {
				_, err := e.Svc.RemoveRole(ctx, "", app.RoleChange{UserID: "20", Role: cambista.RoleAgent})
				return err
			}},
			{cambista.ActReadTransfers, func(ctx context.Context) error {
				_, err := e.Svc.Transfer(ctx, waiting.ID)
				return err
			}},
			{cambista.ActUpdateProfile, func(ctx context.Context) error {
				_, err := e.Svc.UpdateProfile(ctx, "", app.Profile{Country: &ve})
				return err
			}},
			{cambista.ActViewOwn, func(ctx context.Context) error {
				_, err := e.Svc.TransferHistory(ctx, app.HistoryQuery{})
				return err
			}},
			{cambista.ActRequestAgent, func(ctx context.Context) error {
				_, err := e.Svc.RequestAgent(ctx, "")
				if cambista.ErrorCode(err) == cambista.ECONFLICT {
					return nil // asked already, or an agent already: allowed, refused by state
				}
				return err
			}},
			{cambista.ActDecideAgent, func(ctx context.Context) error {
				// User 20's request: a new one, or the one a refused
				// decision left waiting.
				if _, err := e.Svc.RequestAgent(e.As("20"), ""); err != nil && cambista.ErrorCode(err) != cambista.ECONFLICT {
					return err
				}
				waiting := apptest.Must(e.Svc.PendingAgentRequests(e.As(boot)))
				_, err := e.Svc.DecideAgent(ctx, "", app.Decision{ID: waiting[0].ID, Reason: "no"})
				return err
			}},
			{cambista.ActRegister, func(ctx context.Context) error {
				_, err := e.Svc.Register(ctx, "", app.Register{DisplayName: "again"})
				return err
			}},
			{cambista.ActRequestQuote, func(ctx context.Context) error {
				_, err := e.Svc.Currencies(ctx)
				return err
			}},
			{cambista.ActReadCatalog, func(ctx context.Context) error {
				_, err := e.Svc.Catalog(ctx)
				return err
			}},
			{cambista.ActReadAudit, func(ctx context.Context) error {
				_, err := e.Svc.VerifyAudit(ctx)
				return err
			}},
			{cambista.ActReadAudit, func(ctx context.Context) error {
				return e.Svc.ExportAuditReport(ctx, func(app.AuditReader) error { return nil })
			}},
			{cambista.ActExportReports, func(ctx context.Context) error {
				return e.Svc.ExportReport(ctx, func(app.ReportReader) error { return nil })
			}},
			{cambista.ActConfigure, func(ctx context.Context) error {
				_, err := e.Svc.SetAlertThresholds(ctx, "", app.AlertSettings{MaxBatchAge: "24"})
				return err
			}},
			{cambista.ActConfigure, func(ctx context.Context) error {
				_, err := e.Svc.AlertThresholds(ctx)
				return err
			}},
			{cambista.ActDeclareDeposit, func(ctx context.Context) error {
				_, err := e.Svc.DeclareDeposit(ctx, "", app.DeclareDeposit{Currency: "USD", Amount: "5", Method: "cash"})
				if cambista.ErrorCode(err) == cambista.ENOTFOUND {
					return nil // allowed, refused for want of an account
				}
				return err
			}},
			{cambista.ActDecideDeposit, func(ctx context.Context) error {
				// A new deposit of user 20's each time, rejected.
				d, err := e.Svc.DeclareDeposit(e.As("20"), "", app.DeclareDeposit{Currency: "USD", Amount: "5", Method: "cash"})
				if err != nil {
					return err
				}
				_, err = e.Svc.DecideDeposit(ctx, "", app.Decision{ID: d.ID, Reason: "no"})
				return err
			}},
			{cambista.ActRefund, func(ctx context.Context) error {
				_, err := e.Svc.Refunds(ctx, cambista.RefundFilter{Status: cambista.RefundRequested})
				return err
			}},
			{cambista.ActRefund, func(ctx context.Context) error {
				// Refused for the transfer's state (pending), once allowed.
				_, err := e.Svc.Refund(ctx, "", app.RefundTransfer{TransferID: waiting.ID, Amount: "1", Reason: "x"})
				if cambista.ErrorCode(err) == cambista.ECONFLICT {
					return nil
				}
				return err
			}},
			{cambista.ActOpenDispute, func(ctx context.Context) error {
				// Refused for the transfer's state or owner, once allowed.
				_, err := e.Svc.OpenDispute(ctx, "", app.OpenDispute{TransferID: waiting.ID, Reason: "x"})
				if c := cambista.ErrorCode(err); c == cambista.ECONFLICT || cambista.ErrorMessage(err).ID == cambista.MsgNotYourTransfer.ID {
					return nil
				}
				return err
			}},
			{cambista.ActResolveDispute, func(ctx context.Context) error {
				// Refused for want of the dispute, once allowed.
				_, err := e.Svc.ResolveDispute(ctx, "", app.ResolveDispute{ID: 999, Reason: "x"})
				if cambista.ErrorCode(err) == cambista.ENOTFOUND {
					return nil
				}
				return err
			}},
			{cambista.ActCheckAlerts, func(ctx context.Context) error {
				_, err := e.Svc.CheckAlerts(ctx)
				return err
			}},
			{cambista.ActCheckAlerts, func(ctx context.Context) error {
				_, err := e.Svc.ActiveAlerts(ctx)
				return err
			}},
		}
		for _, c := range cases {
			for _, r := range cambista.Roles {
				err := c.run(e.As(ids[r]))
				if allowed := cambista.Allowed(r, c.act); allowed && err != nil {
					t.Errorf("%s as %s: %v", c.act, r, err)
				} else if !allowed && cambista.ErrorCode(err) != cambista.EFORBIDDEN {
					t.Errorf("%s as %s: %v, want forbidden", c.act, r, err)
				}
			}
			// Nobody unregistered may do anything but register and what
			// the matrix opens to them.
			n++
			stranger := cambista.Actor{UserID: cambista.UserID(fmt.Sprint(900 + n))}
			err := c.run(e.As(stranger.UserID))
			if open := cambista.Authorize(stranger, c.act) == nil; open && err != nil {
				t.Errorf("%s as unregistered: %v", c.act, err)
			} else if !open && c.act != cambista.ActRegister && cambista.ErrorCode(err) != cambista.EFORBIDDEN {
				t.Errorf("%s as unregistered: %v, want forbidden", c.act, err)
			}
		}
	})
}

func TestIdempotency(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		e.seedCatalog()
		ctx := e.As(boot)
		in := app.SetRate{Base: "USD", Quote: "VES", Value: "40.5"}
		events := e.auditCount()
		first, err := e.Svc.SetRate(ctx, "click-1", in)
		if err != nil {
			t.Fatal(err)
		}
		again, err := e.Svc.SetRate(ctx, "click-1", in)
		if err != nil || again.ID != first.ID || again.Value.String() != "40.5" || !again.CreatedAt.Equal(first.CreatedAt) {
			t.Fatalf("replay: %+v %v, want %+v", again, err, first)
		}
		if e.count("rates") != 1 || e.auditCount() != events+1 {
			t.Fatalf("a replay changed something: %d rates, %d events", e.count("rates"), e.auditCount()-events)
		}
		in.Value = "41"
		_, err = e.Svc.SetRate(ctx, "click-1", in)
		wantCode(t, err, cambista.ECONFLICT)
		// Another actor replaying the key is a different request.
		_, err = e.Svc.AddCurrency(ctx, "click-1", app.AddCurrency{Code: "EUR", Exponent: 2, Name: "Euro"})
		wantCode(t, err, cambista.ECONFLICT)

		// A double-clicked button, many times at once: one effect.
		var wg sync.WaitGroup
		var mu sync.Mutex
		ids := map[cambista.ID]int{}
		for range 20 {
			wg.Go(func() {
				r, err := e.Svc.SetRate(ctx, "click-2", app.SetRate{Base: "USD", Quote: "VES", Value: "42"})
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				ids[r.ID]++
				mu.Unlock()
			})
		}
		wg.Wait()
		if len(ids) != 1 || e.count("rates") != 2 || e.auditCount() != events+2 {
			t.Fatalf("concurrent replays: ids %v, %d rates, %d events", ids, e.count("rates"), e.auditCount()-events)
		}
	})
}
