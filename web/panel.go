package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/i18n"
)

// PanelConfig is what the admin panel needs beyond the use cases.
type PanelConfig struct {
	// PublicURL is the panel's address as browsers reach it, without a
	// path: the OAuth redirect is PublicURL/auth/callback, and cookies are
	// Secure when it is https.
	PublicURL string
	// DiscordOAuthURL is the base of Discord's OAuth2 endpoints
	// (https://discord.com): authorize at /oauth2/authorize, tokens at
	// /api/oauth2/token, the user at /api/users/@me.
	DiscordOAuthURL string
	// ClientID and ClientSecret are the Discord application's OAuth2
	// credentials; without them only the bootstrap link logs in.
	ClientID     string
	ClientSecret string
	// IdleTimeout ends a session unused for that long (default 2 hours);
	// MaxAge ends any session that long after login (default 12 hours).
	IdleTimeout time.Duration
	MaxAge      time.Duration
	// LoginsPerMinute is how many login attempts one client address may
	// make per minute, in bursts of as many (default 10), counted in the
	// database across every process.
	LoginsPerMinute int
	// TrustedProxies are the reverse proxies (load balancers) whose
	// X-Forwarded-For names the client: behind them, the client address
	// is the right-most one there that is not theirs.
	TrustedProxies []netip.Prefix
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// bootstrapTTL is how long a printed login link works.
const bootstrapTTL = 15 * time.Minute

// Panel is the admin panel: login, sessions, and the pages over the use
// cases.
type Panel struct {
	svc     *app.Service
	cfg     PanelConfig
	log     *slog.Logger
	views   *views
	oauth   *oauth2.Config // nil when Discord login is not configured
	userURL string
	secure  bool // cookies only over https
	csrf    *http.CrossOriginProtection
	linked  atomic.Bool // a bootstrap link was issued since start
}

// NewPanel returns the panel over the use cases.
func NewPanel(svc *app.Service, cfg PanelConfig, log *slog.Logger) (*Panel, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 2 * time.Hour
	}
	if cfg.MaxAge <= 0 {
		cfg.MaxAge = 12 * time.Hour
	}
	if cfg.LoginsPerMinute <= 0 {
		cfg.LoginsPerMinute = 10
	}
	if cfg.DiscordOAuthURL == "" {
		cfg.DiscordOAuthURL = "https://discord.com"
	}
	pub, err := url.Parse(cfg.PublicURL)
	if err != nil || (pub.Scheme != "http" && pub.Scheme != "https") || pub.Host == "" || strings.Trim(pub.Path, "/") != "" {
		return nil, fmt.Errorf("panel public URL %q: expected http(s)://host[:port] without a path", cfg.PublicURL)
	}
	cfg.PublicURL = pub.Scheme + "://" + pub.Host
	views, err := loadViews()
	if err != nil {
		return nil, err
	}
	p := &Panel{svc: svc, cfg: cfg, log: log, views: views, secure: pub.Scheme == "https"}
	if cfg.ClientID != "" {
		base := strings.TrimRight(cfg.DiscordOAuthURL, "/")
		p.oauth = &oauth2.Config{
			ClientID:     cfg.ClientID,
			ClientSecret: cfg.ClientSecret,
			Endpoint:     oauth2.Endpoint{AuthURL: base + "/oauth2/authorize", TokenURL: base + "/api/oauth2/token"},
			RedirectURL:  cfg.PublicURL + "/auth/callback",
			Scopes:       []string{"identify"},
		}
		p.userURL = base + "/api/users/@me"
	}
	p.csrf = http.NewCrossOriginProtection()
	p.csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.errorPage(w, r, p.anonymousLang(r), http.StatusForbidden, MsgBadForm.Msg())
	}))
	return p, nil
}

// BootstrapLink returns a one-time login link for the first bootstrap
// superuser, valid for 15 minutes, while no superuser has ever logged in to
// the panel; "" otherwise. Only the token's hash is stored, and each new
// link voids the earlier ones.
func (p *Panel) BootstrapLink(ctx context.Context) (string, error) {
	token := randomToken()
	user, err := p.svc.PanelBootstrap(ctx, hashSecret(token), p.cfg.Now().Add(bootstrapTTL))
	if err != nil || user == "" {
		return "", err
	}
	p.linked.Store(true)
	return p.cfg.PublicURL + "/auth/bootstrap?token=" + token, nil
}

// Mount adds the panel's routes to the server.
func (p *Panel) Mount(srv *Server) {
	public := func(h http.HandlerFunc) http.Handler { return p.csrf.Handler(h) }
	srv.Handle("GET /static/", staticHandler())
	srv.Handle("GET /login", public(p.loginPage))
	srv.Handle("GET /auth/login", public(p.limited(p.oauthStart)))
	srv.Handle("GET /auth/callback", public(p.limited(p.oauthCallback)))
	srv.Handle("GET /auth/bootstrap", public(p.limited(p.bootstrapLogin)))
	srv.Handle("GET /", public(p.notFound))
	srv.Handle("POST /logout", p.page("", p.logout))
	srv.Handle("POST /lang", p.page("", p.setLang))
	srv.Handle("GET /confirm", p.page("", p.confirmPage))

	srv.Handle("GET /{$}", p.page("", p.home))
	srv.Handle("GET /dashboard/volume.json", p.page(cambista.ActExportReports, p.volumeJSON))
	srv.Handle("GET /dashboard/profit.json", p.page(cambista.ActExportReports, p.profitJSON))

	srv.Handle("GET /approvals", p.page(cambista.ActDecideAccount, p.approvals))
	srv.Handle("POST /approvals/accounts/{id}", p.page(cambista.ActDecideAccount, p.decideAccount))
	srv.Handle("POST /approvals/agents/{id}", p.page(cambista.ActDecideAgent, p.decideAgent))
	srv.Handle("POST /approvals/withdrawals/{id}", p.page(cambista.ActDecideWithdrawal, p.decideWithdrawal))
	srv.Handle("GET /deposits", p.page(cambista.ActDecideDeposit, p.deposits))
	srv.Handle("POST /approvals/deposits/{id}", p.page(cambista.ActDecideDeposit, p.decideDeposit))
	srv.Handle("POST /approvals/refunds/{id}", p.page(cambista.ActRefund, p.decideRefund))

	srv.Handle("GET /catalog", p.page(cambista.ActManageCurrency, p.catalog))
	srv.Handle("POST /currencies", p.page(cambista.ActManageCurrency, p.addCurrency))
	srv.Handle("POST /currencies/{code}/enabled", p.page(cambista.ActManageCurrency, p.toggleCurrency))
	srv.Handle("POST /countries", p.page(cambista.ActManageCountry, p.addCountry))
	srv.Handle("POST /countries/{code}/enabled", p.page(cambista.ActManageCountry, p.toggleCountry))
	srv.Handle("POST /rates", p.page(cambista.ActSetRate, p.setRate))
	srv.Handle("GET /rates/{base}/{quote}", p.page(cambista.ActSetRate, p.rateHistory))
	srv.Handle("GET /rates/{base}/{quote}/history.json", p.page(cambista.ActSetRate, p.rateHistoryJSON))

	srv.Handle("GET /batches", p.page(cambista.ActOpenBatch, p.batches))
	srv.Handle("GET /batches/{id}", p.page(cambista.ActOpenBatch, p.batch))
	srv.Handle("GET /batches/{id}/status", p.page(cambista.ActOpenBatch, p.batchLive))
	srv.Handle("POST /batches/{id}/close", p.page(cambista.ActCloseBatch, p.closeBatch))
	srv.Handle("POST /transfers/{id}/complete", p.page(cambista.ActCompleteTransfer, p.completeTransfer))
	srv.Handle("POST /transfers/{id}/reject", p.page(cambista.ActRejectTransfer, p.rejectTransfer))
	srv.Handle("POST /transfers/{id}/release", p.page(cambista.ActTakeTransfer, p.releaseTransfer))
	srv.Handle("POST /transfers/{id}/refund", p.page(cambista.ActRefund, p.refundTransfer))
	srv.Handle("POST /transfers/{id}/reverse", p.page(cambista.ActRefund, p.reverseTransfer))
	srv.Handle("GET /queue", p.page(cambista.ActTakeTransfer, p.queue))
	srv.Handle("GET /transfers", p.page(cambista.ActTakeTransfer, p.transfers))
	srv.Handle("GET /transfers/{id}", p.page(cambista.ActTakeTransfer, p.transfer))
	srv.Handle("GET /transfers/{id}/proof", p.page(cambista.ActTakeTransfer, p.transferProof))

	srv.Handle("GET /reports", p.page(cambista.ActExportReports, p.reports))
	srv.Handle("POST /reports", p.page(cambista.ActExportReports, p.download))

	srv.Handle("GET /rules", p.page(cambista.ActManageRules, p.rulesList))
	srv.Handle("GET /rules/new", p.page(cambista.ActManageRules, p.ruleNew))
	srv.Handle("GET /rules/{id}", p.page(cambista.ActManageRules, p.ruleEdit))
	srv.Handle("POST /rules", p.page(cambista.ActManageRules, p.saveRule))
	srv.Handle("POST /rules/publish", p.page(cambista.ActManageRules, p.publishRules))
	srv.Handle("POST /rules/{id}/retire", p.page(cambista.ActManageRules, p.retireRule))
	srv.Handle("POST /rules/{id}/discard", p.page(cambista.ActManageRules, p.discardDraft))
	srv.Handle("GET /rules/simulate", p.page(cambista.ActManageRules, p.simulate))

	srv.Handle("GET /users", p.page(cambista.ActAssignRole, p.users))
	srv.Handle("GET /users/{id}", p.page(cambista.ActAssignRole, p.user))
	srv.Handle("POST /users/{id}/profile", p.page(cambista.ActAssignRole, p.saveProfile))
	srv.Handle("POST /users/{id}/roles", p.page(cambista.ActAssignRole, p.changeRole))
	srv.Handle("POST /users/{id}/referrer", p.page(cambista.ActAssignRole, p.setReferrer))
	srv.Handle("POST /accounts/{id}/frozen", p.page(cambista.ActAssignRole, p.freezeAccount))

	srv.Handle("GET /audit", p.page(cambista.ActReadAudit, p.audit))
	srv.Handle("GET /audit/verify", p.page(cambista.ActReadAudit, p.verifyAudit))
	srv.Handle("GET /alerts", p.page(cambista.ActConfigure, p.alerts))
	srv.Handle("POST /alerts", p.page(cambista.ActConfigure, p.saveAlerts))
	srv.Handle("POST /alerts/disputes", p.page(cambista.ActConfigure, p.saveDisputeDays))
	srv.Handle("GET /sessions", p.page(cambista.ActAssignRole, p.sessions))
	srv.Handle("POST /sessions/revoke", p.page(cambista.ActAssignRole, p.revokeSessions))
}

// request is one authenticated request: the session behind it and the
// view its page renders into.
type request struct {
	*http.Request
	sessionHash string
	view        *view
}

// page wraps a handler of the panel's own pages: the caller needs a live
// session, a panel role and, when need is set, that action in the
// permission matrix (the use cases check again); a POST needs the session's
// form token, and, like every unsafe request, to come from the panel's own
// origin.
func (p *Panel) page(need cambista.Action, h func(w http.ResponseWriter, r *request)) http.Handler {
	return p.csrf.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, sess := p.session(r)
		if sess == nil {
			p.toLogin(w, r, id != "")
			return
		}
		ctx := r.Context()
		actor, err := p.svc.Actor(ctx, sess.UserID, sess.Lang)
		if err != nil {
			p.log.Error("panel actor lookup failed", "err", err)
			p.errorPage(w, r, i18n.Lang(sess.Lang), statusOf(err), cambista.ErrorMessage(err))
			return
		}
		ctx = cambista.WithActor(ctx, actor)
		if _, err := r.Cookie(flashCookie); err == nil {
			// The page right after the person's own change (done): its
			// reads must show the change, even those a read replica
			// serves.
			ctx = app.Fresh(ctx)
		}
		req := &request{Request: r.WithContext(ctx), sessionHash: hashSecret(id)}
		req.view = p.newView(req, sess, id)
		if err := app.PanelAccess(actor); err != nil {
			p.fail(w, req, err)
			return
		}
		if r.Method == http.MethodPost && !validToken(req.Request, csrfToken(id)) {
			p.errorPage(w, r, req.view.Lang, http.StatusForbidden, MsgBadForm.Msg())
			return
		}
		if need != "" {
			if err := cambista.Authorize(actor, need); err != nil {
				p.fail(w, req, err)
				return
			}
		}
		h(w, req)
	}))
}

// session returns the request's session cookie value and its live session,
// or nil when there is none or it has ended (revoked, idle too long, past
// its lifetime). The use case notes the use of a live one.
func (p *Panel) session(r *http.Request) (string, *app.PanelSession) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return "", nil
	}
	s, err := p.svc.UsePanelSession(r.Context(), hashSecret(c.Value), p.cfg.IdleTimeout)
	if err != nil {
		if cambista.ErrorCode(err) != cambista.ENOTFOUND {
			p.log.Error("panel session lookup failed", "err", err)
		}
		return c.Value, nil
	}
	return c.Value, s
}

// toLogin sends a request without a live session to the login page,
// remembering the page it wanted. An htmx request is told to load the
// login page whole rather than swap it into a fragment.
func (p *Panel) toLogin(w http.ResponseWriter, r *http.Request, ended bool) {
	if ended {
		p.clearCookie(w, sessionCookie, "/")
	}
	target := "/login"
	if r.Method == http.MethodGet && r.URL.Path != "/" {
		target += "?next=" + url.QueryEscape(r.URL.RequestURI())
	} else if ended {
		target += "?ended=1"
	}
	if r.Header.Get(hxRequest) == "true" {
		w.Header().Set("HX-Redirect", target)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// limited applies the per-address login rate limit.
func (p *Panel) limited(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		wait, err := p.svc.LoginAttempt(r.Context(), clientIP(r, p.cfg.TrustedProxies), p.cfg.LoginsPerMinute)
		if err != nil {
			p.log.Error("login rate limit failed", "err", err)
			p.errorPage(w, r, p.anonymousLang(r), statusOf(err), cambista.ErrorMessage(err))
			return
		}
		if wait > 0 {
			w.Header().Set("Retry-After", fmt.Sprint(int(wait.Seconds())+1))
			p.errorPage(w, r, p.anonymousLang(r), http.StatusTooManyRequests, MsgTooMany.Msg())
			return
		}
		h(w, r)
	}
}

// randomToken returns 32 random bytes, base64url without padding.
func randomToken() string {
	var b [32]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// localPath returns s if it is a path on this site, else "/": never
// "//host" or "/\host", which browsers read as another site.
func localPath(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(s, "/") ||
		strings.HasPrefix(s, "//") || strings.HasPrefix(s, "/\\") {
		return "/"
	}
	return s
}
