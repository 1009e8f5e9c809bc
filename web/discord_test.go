package web_test

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// fakeDiscord is Discord's OAuth2 on loopback: the authorize page approves
// at once, as the user set with loginAs, and redirects back with a code;
// the token endpoint trades a code (once) for a token; users/@me names the
// token's user. It checks what Discord checks: the client's credentials,
// the redirect URI, the scope, and the PKCE verifier against the S256
// challenge the authorization carried.
type fakeDiscord struct {
	*httptest.Server
	t            *testing.T
	clientID     string
	clientSecret string
	redirect     string // the panel's callback URL

	mu         sync.Mutex
	next       string            // the Discord user who "approves" the next authorization
	codes      map[string]string // code → user
	challenges map[string]string // code → its PKCE challenge
	tokens     map[string]string // access token → user
}

func newFakeDiscord(t *testing.T) *fakeDiscord {
	f := &fakeDiscord{t: t, clientID: "900000000000000001", clientSecret: "fake-secret",
		codes: map[string]string{}, challenges: map[string]string{}, tokens: map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /oauth2/authorize", f.authorize)
	mux.HandleFunc("POST /api/oauth2/token", f.token)
	mux.HandleFunc("GET /api/users/@me", f.me)
	f.Server = httptest.NewServer(mux)
	t.Cleanup(f.Close)
	return f
}

// loginAs sets the Discord user who approves the next authorization.
func (f *fakeDiscord) loginAs(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.next = id
}

func secret() string {
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (f *fakeDiscord) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != f.clientID || q.Get("response_type") != "code" || q.Get("scope") != "identify" ||
		q.Get("redirect_uri") != f.redirect || q.Get("state") == "" ||
		q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" {
		f.t.Errorf("fake Discord: bad authorize request %s", r.URL.RawQuery)
		http.Error(w, "invalid request", http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	code := secret()
	f.codes[code] = f.next
	f.challenges[code] = q.Get("code_challenge")
	f.mu.Unlock()
	back, _ := url.Parse(f.redirect)
	back.RawQuery = url.Values{"code": {code}, "state": {q.Get("state")}}.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

func (f *fakeDiscord) token(w http.ResponseWriter, r *http.Request) {
	id, sec, ok := r.BasicAuth()
	if !ok {
		id, sec = r.PostFormValue("client_id"), r.PostFormValue("client_secret")
	}
	if id != f.clientID || sec != f.clientSecret {
		http.Error(w, `{"error": "invalid_client"}`, http.StatusUnauthorized)
		return
	}
	f.mu.Lock()
	user, known := f.codes[r.PostFormValue("code")]
	sum := sha256.Sum256([]byte(r.PostFormValue("code_verifier")))
	known = known && base64.RawURLEncoding.EncodeToString(sum[:]) == f.challenges[r.PostFormValue("code")]
	delete(f.codes, r.PostFormValue("code"))
	tok := secret()
	f.tokens[tok] = user
	f.mu.Unlock()
	if r.PostFormValue("grant_type") != "authorization_code" || !known || r.PostFormValue("redirect_uri") != f.redirect {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"error": "invalid_grant"}`))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": 604800, "scope": "identify"})
}

func (f *fakeDiscord) me(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	user, ok := f.tokens[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
	f.mu.Unlock()
	if !ok {
		http.Error(w, `{"message": "401: Unauthorized"}`, http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"id": user, "username": "user" + user, "global_name": nil, "locale": "es-ES"})
}

// code issues a code for the user as the authorize page would, with the
// challenge of no verifier the panel holds: what someone who approved a
// login for their own account can hand to another browser.
func (f *fakeDiscord) code(user string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	code := secret()
	f.codes[code] = user
	f.challenges[code] = ""
	return code
}
