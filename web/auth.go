package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/i18n"
)

// loginData is what the login page shows.
type loginData struct {
	OAuth bool   // Discord login is set up
	Next  string // the page to go to after login
	// Linked: a one-time link was printed at start; NoBootstrap: no
	// bootstrap superuser is configured, so the page names the setting.
	Linked, NoBootstrap bool
}

func (p *Panel) loginPage(w http.ResponseWriter, r *http.Request) {
	lang := p.anonymousLang(r)
	if l := r.URL.Query().Get("lang"); l != "" {
		p.setCookie(w, langCookie, string(lang), "/", 365*24*time.Hour)
	}
	v := &view{Lang: lang, Title: "title.login", Path: r.URL.RequestURI(),
		Data: loginData{OAuth: p.oauth != nil, Next: localPath(r.URL.Query().Get("next")),
			Linked: p.linked.Load(), NoBootstrap: !p.svc.HasBootstrap()}}
	if r.URL.Query().Get("ended") != "" {
		v.Flash = i18n.T(lang, MsgLoggedOut.Msg())
	}
	p.render(w, http.StatusOK, "login", "", v)
}

// notFound answers the paths no route takes, in the reader's language.
func (p *Panel) notFound(w http.ResponseWriter, r *http.Request) {
	if _, sess := p.session(r); sess != nil {
		// Someone logged in reads it in their language, with the way back.
		p.page("", func(w http.ResponseWriter, r *request) {
			p.fail(w, r, cambista.Errorf(cambista.ENOTFOUND, MsgNoPage.Msg()))
		}).ServeHTTP(w, r)
		return
	}
	p.errorPage(w, r, p.anonymousLang(r), http.StatusNotFound, MsgNoPage.Msg())
}

// oauthStart sends the browser to Discord's consent page. The state
// parameter is a random value also kept in a short-lived cookie: the
// callback accepts only the state this browser was given, so nobody can
// make a victim's browser complete a login that the attacker began. The
// flow uses PKCE (S256): the verifier rides in the same cookie, so a code
// caught on its way back is worth nothing without it. The cookie is
// signed, and over https it is a __Host- cookie, which no other host of
// the domain can set.
func (p *Panel) oauthStart(w http.ResponseWriter, r *http.Request) {
	lang := p.anonymousLang(r)
	if p.oauth == nil {
		p.errorPage(w, r, lang, http.StatusServiceUnavailable, MsgOAuthOff.Msg())
		return
	}
	f := oauthFlow{State: randomToken(), Verifier: oauth2.GenerateVerifier(), Next: localPath(r.URL.Query().Get("next"))}
	name, path := p.stateCookie()
	p.setCookie(w, name, p.signFlow(f), path, 10*time.Minute)
	http.Redirect(w, r, p.oauth.AuthCodeURL(f.State, oauth2.S256ChallengeOption(f.Verifier)), http.StatusSeeOther)
}

// oauthFlow is what the state cookie carries from the start of a Discord
// login to its callback.
type oauthFlow struct {
	State, Verifier, Next string
}

// stateCookie names the state cookie and its path: over https a __Host-
// cookie, whose path must be /.
func (p *Panel) stateCookie() (name, path string) {
	if p.secure {
		return "__Host-" + stateCookie, "/"
	}
	return stateCookie, "/auth/"
}

// signFlow encodes f with an HMAC keyed by the OAuth client secret, which
// every replica of the panel shares and nobody else has.
func (p *Panel) signFlow(f oauthFlow) string {
	body := f.State + "|" + f.Verifier + "|" + f.Next
	return body + "|" + p.flowMAC(body)
}

func (p *Panel) flowMAC(body string) string {
	m := hmac.New(sha256.New, []byte("cambista oauth state\x00"+p.oauth.ClientSecret))
	m.Write([]byte(body))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// readFlow checks the cookie's signature and returns what it carries.
func (p *Panel) readFlow(value string) (oauthFlow, bool) {
	i := strings.LastIndexByte(value, '|')
	if i < 0 || subtle.ConstantTimeCompare([]byte(p.flowMAC(value[:i])), []byte(value[i+1:])) != 1 {
		return oauthFlow{}, false
	}
	parts := strings.SplitN(value[:i], "|", 3)
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" {
		return oauthFlow{}, false
	}
	return oauthFlow{State: parts[0], Verifier: parts[1], Next: parts[2]}, true
}

// discordUser is the part of Discord's /users/@me the panel reads.
type discordUser struct {
	ID       string `json:"id"`
	Username string `json:"username"`
}

func (p *Panel) oauthCallback(w http.ResponseWriter, r *http.Request) {
	lang := p.anonymousLang(r)
	if p.oauth == nil {
		p.errorPage(w, r, lang, http.StatusServiceUnavailable, MsgOAuthOff.Msg())
		return
	}
	name, path := p.stateCookie()
	c, err := r.Cookie(name)
	p.clearCookie(w, name, path)
	q := r.URL.Query()
	if err != nil {
		p.errorPage(w, r, lang, http.StatusBadRequest, MsgOAuthFailed.Msg())
		return
	}
	// The state must be there, be this browser's, and the cookie ours:
	// an empty state matching an empty cookie proves nothing.
	f, ok := p.readFlow(c.Value)
	if !ok || q.Get("error") != "" || q.Get("code") == "" || q.Get("state") == "" ||
		subtle.ConstantTimeCompare([]byte(f.State), []byte(q.Get("state"))) != 1 {
		p.errorPage(w, r, lang, http.StatusBadRequest, MsgOAuthFailed.Msg())
		return
	}
	next := f.Next
	ctx, cancel := context.WithTimeout(r.Context(), 15*time.Second)
	defer cancel()
	user, err := p.discordIdentity(ctx, q.Get("code"), f.Verifier)
	if err != nil {
		p.log.Warn("Discord login failed", "err", err)
		p.errorPage(w, r, lang, http.StatusBadGateway, MsgOAuthFailed.Msg())
		return
	}
	p.login(w, r, lang, cambista.UserID(user.ID), app.PanelLogin{Method: "discord"}, localPath(next))
}

// discordIdentity trades the authorization code for a token and asks
// Discord who it belongs to.
func (p *Panel) discordIdentity(ctx context.Context, code, verifier string) (*discordUser, error) {
	tok, err := p.oauth.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, fmt.Errorf("exchange code: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.userURL, nil)
	if err != nil {
		return nil, err
	}
	resp, err := p.oauth.Client(ctx, tok).Do(req)
	if err != nil {
		return nil, fmt.Errorf("read user: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("read user: %s", resp.Status)
	}
	var u discordUser
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&u); err != nil {
		return nil, fmt.Errorf("read user: %w", err)
	}
	if err := cambista.ValidateUserID(cambista.UserID(u.ID)); err != nil {
		return nil, fmt.Errorf("read user: id %q", u.ID)
	}
	return &u, nil
}

// bootstrapLogin logs in with the one-time link printed at first start.
func (p *Panel) bootstrapLogin(w http.ResponseWriter, r *http.Request) {
	lang := p.anonymousLang(r)
	hash := hashSecret(r.URL.Query().Get("token"))
	user, err := p.svc.BootstrapLinkUser(r.Context(), hash)
	if err != nil {
		if statusOf(err) == http.StatusInternalServerError {
			p.log.Error("bootstrap login failed", "err", err)
		}
		p.errorPage(w, r, lang, statusOf(err), cambista.ErrorMessage(err))
		return
	}
	p.login(w, r, lang, user, app.PanelLogin{Method: "bootstrap", BootstrapHash: hash}, "/")
}

// login opens a session for a user whose identity was proven, if the use
// case lets them in, ends the session the browser had before, and sends
// the browser on.
func (p *Panel) login(w http.ResponseWriter, r *http.Request, lang i18n.Lang, id cambista.UserID, in app.PanelLogin, next string) {
	ctx := r.Context()
	actor, err := p.svc.Actor(ctx, id, "")
	if err != nil {
		p.errorPage(w, r, lang, statusOf(err), cambista.ErrorMessage(err))
		return
	}
	sessionID := randomToken()
	in.SessionHash, in.Expires = hashSecret(sessionID), p.cfg.Now().Add(p.cfg.MaxAge)
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		in.Replaces = hashSecret(c.Value)
	}
	if _, err := p.svc.PanelLogin(cambista.WithActor(ctx, actor), in); err != nil {
		if statusOf(err) == http.StatusInternalServerError {
			p.log.Error("panel login failed", "user", id, "err", err)
		}
		p.errorPage(w, r, lang, statusOf(err), cambista.ErrorMessage(err))
		return
	}
	p.log.Info("panel login", "user", id, "method", in.Method)
	p.setCookie(w, sessionCookie, sessionID, "/", p.cfg.MaxAge)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (p *Panel) logout(w http.ResponseWriter, r *request) {
	if err := p.svc.PanelLogout(r.Context(), r.sessionHash); err != nil {
		p.fail(w, r, err)
		return
	}
	p.clearCookie(w, sessionCookie, "/")
	http.Redirect(w, r.Request, "/login", http.StatusSeeOther)
}

// setLang switches the panel's language for this session and remembers it
// as the user's language, which the next login starts with.
func (p *Panel) setLang(w http.ResponseWriter, r *request) {
	lang, err := i18n.Parse(r.PostFormValue("lang"))
	if err != nil {
		p.fail(w, r, cambista.Errorf(cambista.EINVALID, cambista.MsgBadLocale.Msg("Input", r.PostFormValue("lang"))))
		return
	}
	if err := p.svc.SetPanelLang(r.Context(), r.sessionHash, string(lang)); err != nil {
		p.fail(w, r, err)
		return
	}
	http.Redirect(w, r.Request, localPath(r.PostFormValue("back")), http.StatusSeeOther)
}
