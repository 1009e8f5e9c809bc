package discordtest

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cambista/cambista/discord/wire"
)

// apiPrefix is where the REST API lives, as on Discord.
const apiPrefix = "/api/v9/"

// Call is one REST request the fake received.
type Call struct {
	Method string
	Path   string // below the API root, e.g. /channels/1/messages
	Query  url.Values
	// Body is the JSON body; for a multipart request, its payload_json.
	Body   []byte
	Files  []File
	Status int // what the fake answered, faults included
	Time   time.Time
}

// Calls returns every REST call so far, in order.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.st.calls...)
}

// CallsTo returns the calls with the method (any if empty) whose path
// starts with pathPrefix, e.g. CallsTo("POST", "/channels/").
func (s *Server) CallsTo(method, pathPrefix string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.st.calls {
		if (method == "" || c.Method == method) && strings.HasPrefix(c.Path, pathPrefix) {
			out = append(out, c)
		}
	}
	return out
}

// Faults makes a share of REST calls fail, for reliability tests. A
// faulted call changes nothing, so a retry that succeeds takes effect
// exactly once.
type Faults struct {
	Rate     float64 // share of calls that fail, 0 to 1
	Statuses []int   // chosen at random for each failure; default 429
	Seed     uint64  // the same seed fails the same calls of a sequential test
	// RetryAfter is what a 429 tells the client to wait; default 50ms.
	RetryAfter time.Duration
	// Gateway includes GET /gateway and /gateway/bot, left alone by
	// default so that connecting is not what a test exercises.
	Gateway bool
}

type faultState struct {
	f    Faults
	rng  *rand.Rand
	next []int // statuses of FailNext, first first
}

// SetFaults replaces the fault policy; the zero Faults turns it off.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(f.Statuses) == 0 {
		f.Statuses = []int{http.StatusTooManyRequests}
	}
	if f.RetryAfter <= 0 {
		f.RetryAfter = 50 * time.Millisecond
	}
	s.st.faults.f = f
	s.st.faults.rng = rand.New(rand.NewPCG(f.Seed, f.Seed^0x9e3779b97f4a7c15))
}

// FailNext makes the next n REST calls (gateway discovery aside, unless
// Faults.Gateway) answer status, before any fault policy.
func (s *Server) FailNext(n int, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.st.faults.next = append(s.st.faults.next, status)
	}
}

// fault returns the status a call should fail with, or 0. s.mu is held.
func (st *state) fault(method, path string) int {
	fs := &st.faults
	if strings.HasPrefix(path, "/gateway") && !fs.f.Gateway {
		return 0
	}
	if len(fs.next) > 0 {
		status := fs.next[0]
		fs.next = fs.next[1:]
		return status
	}
	if fs.rng == nil || fs.f.Rate <= 0 || fs.rng.Float64() >= fs.f.Rate {
		return 0
	}
	return fs.f.Statuses[fs.rng.IntN(len(fs.f.Statuses))]
}

// hold keeps matching REST calls from being answered until released.
type hold struct {
	method, prefix string
	once           sync.Once
	released       chan struct{}
}

func (h *hold) release() { h.once.Do(func() { close(h.released) }) }

// Hold keeps every REST call with the method (any if empty) whose path
// starts with pathPrefix from being answered until release is called. The
// call has taken effect and is in Calls, but its client still waits, as
// when Discord's answer is slow or lost: a test can act while a request is
// in flight. A client that gives up stops waiting; Close releases every
// hold.
func (s *Server) Hold(method, pathPrefix string) (release func()) {
	h := &hold{method: method, prefix: pathPrefix, released: make(chan struct{})}
	s.mu.Lock()
	s.holds = append(s.holds, h)
	s.mu.Unlock()
	return func() {
		s.mu.Lock()
		s.holds = slices.DeleteFunc(s.holds, func(x *hold) bool { return x == h })
		s.mu.Unlock()
		h.release()
	}
}

// Held returns how many calls are being held now.
func (s *Server) Held() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.held
}

// holdFor returns the release channel of the first hold matching a call,
// counting the call as held, or nil. s.mu is held.
func (s *Server) holdFor(method, path string) <-chan struct{} {
	for _, h := range s.holds {
		if (h.method == "" || h.method == method) && strings.HasPrefix(path, h.prefix) {
			s.held++
			return h.released
		}
	}
	return nil
}

// await waits until a held call is released, or its client gives up, and
// reports whether it was released.
func (s *Server) await(ctx context.Context, released <-chan struct{}) bool {
	defer func() {
		s.mu.Lock()
		s.held--
		s.mu.Unlock()
		s.notify()
	}()
	select {
	case <-released:
		return true
	case <-ctx.Done():
		return false
	}
}

// request is a REST call being handled.
type request struct {
	r     *http.Request
	vars  map[string]string
	query url.Values
	body  []byte
	files []File
}

// reply is a handler's answer; after runs once the call is recorded and
// s.mu released, before the response is written (for gateway events that
// follow a REST change).
type reply struct {
	status int
	body   any
	after  func()
}

func ok(v any) reply { return reply{status: http.StatusOK, body: v} }

func noContent() reply { return reply{status: http.StatusNoContent} }

// apiError is Discord's error body; discordgo decodes it into
// RESTError.Message.
func apiError(status, code int, message string) reply {
	return reply{status: status, body: map[string]any{"code": code, "message": message}}
}

// Discord's error codes the fake uses.
const (
	codeUnknownApplication  = 10002
	codeUnknownGuild        = 10004
	codeUnknownMember       = 10007
	codeUnknownMessage      = 10008
	codeUnknownRole         = 10011
	codeUnknownWebhook      = 10015
	codeUnknownInteraction  = 10062
	codeAlreadyAcknowledged = 40060
	codeEmptyMessage        = 50006
	codeCannotDM            = 50007
	codeInvalidForm         = 50035
)

type handler func(s *Server, rq *request) reply

type route struct {
	method  string
	pattern []string // path segments; {name} matches any one segment
	h       handler
	noAuth  bool // authenticated by the token in the path, or public
}

func on(method, pattern string, h handler) route {
	return route{method: method, pattern: strings.Split(strings.Trim(pattern, "/"), "/"), h: h}
}

func public(rt route) route { rt.noAuth = true; return rt }

var routes = []route{
	public(on("GET", "/gateway", getGateway)),
	public(on("GET", "/gateway/bot", getGatewayBot)),
	on("GET", "/users/@me", getMe),
	on("POST", "/users/@me/channels", createDM),
	on("GET", "/applications/{app}/commands", getCommands),
	on("PUT", "/applications/{app}/commands", putCommands),
	on("GET", "/applications/{app}/guilds/{guild}/commands", getCommands),
	on("PUT", "/applications/{app}/guilds/{guild}/commands", putCommands),
	public(on("POST", "/interactions/{id}/{token}/callback", interactionCallback)),
	public(on("POST", "/webhooks/{app}/{token}", followup)),
	public(on("GET", "/webhooks/{app}/{token}/messages/{mid}", getWebhookMessage)),
	public(on("PATCH", "/webhooks/{app}/{token}/messages/{mid}", editWebhookMessage)),
	public(on("DELETE", "/webhooks/{app}/{token}/messages/{mid}", deleteWebhookMessage)),
	on("GET", "/channels/{cid}/messages", listMessages),
	on("POST", "/channels/{cid}/messages", createMessage),
	on("GET", "/channels/{cid}/messages/{mid}", getMessage),
	on("PATCH", "/channels/{cid}/messages/{mid}", editMessage),
	on("DELETE", "/channels/{cid}/messages/{mid}", deleteMessage),
	on("POST", "/channels/{cid}/messages/{mid}/threads", startThread),
	on("GET", "/guilds/{guild}/roles", getRoles),
	on("GET", "/guilds/{guild}/members", listMembers),
	on("GET", "/guilds/{guild}/members/{user}", getMember),
	on("PUT", "/guilds/{guild}/members/{user}/roles/{role}", addMemberRole),
	on("DELETE", "/guilds/{guild}/members/{user}/roles/{role}", removeMemberRole),
}

// match finds the route for a request; pathMatched tells a wrong method
// (405) from an unknown path (404).
func match(method, path string) (rt *route, vars map[string]string, pathMatched bool) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i := range routes {
		v, ok := matchPattern(routes[i].pattern, segs)
		if !ok {
			continue
		}
		if routes[i].method == method {
			return &routes[i], v, true
		}
		pathMatched = true
	}
	return nil, nil, pathMatched
}

func matchPattern(pattern, segs []string) (map[string]string, bool) {
	if len(pattern) != len(segs) {
		return nil, false
	}
	vars := make(map[string]string)
	for i, p := range pattern {
		if strings.HasPrefix(p, "{") {
			if segs[i] == "" {
				return nil, false
			}
			vars[strings.Trim(p, "{}")] = segs[i]
		} else if p != segs[i] {
			return nil, false
		}
	}
	return vars, true
}

// serveREST records the call, applies faults and authentication, and runs
// the route's handler, all under s.mu so calls take effect one at a time.
func (s *Server) serveREST(w http.ResponseWriter, hr *http.Request) {
	start := time.Now()
	path := "/" + strings.TrimPrefix(hr.URL.Path, apiPrefix)
	rq := &request{r: hr, query: hr.URL.Query()}
	parseErr := rq.readBody()
	call := Call{Method: hr.Method, Path: path, Query: rq.query, Body: rq.body, Files: rq.files, Time: start}

	rt, vars, pathMatched := match(hr.Method, path)
	rq.vars = vars
	bucket := path
	if rt != nil {
		bucket = rt.method + " " + strings.Join(rt.pattern, "/")
	}

	s.mu.Lock()
	var rep reply
	retryAfter := time.Duration(0)
	limits := http.Header{}
	limited := false
	switch {
	case rt == nil && pathMatched:
		rep = apiError(http.StatusMethodNotAllowed, 0, "405: Method Not Allowed")
	case rt == nil:
		rep = apiError(http.StatusNotFound, 0, "404: Not Found")
	default:
		if s.st.limits != nil {
			rep, limited = s.st.limit(rt, vars, limits)
		}
		if limited {
			// answered 429; nothing else happens
		} else if status := s.st.fault(hr.Method, path); status != 0 {
			rep, retryAfter = s.st.faultReply(status)
		} else if !rt.noAuth && hr.Header.Get("Authorization") != "Bot "+s.token {
			rep = apiError(http.StatusUnauthorized, 0, "401: Unauthorized")
		} else if parseErr != nil {
			rep = apiError(http.StatusBadRequest, codeInvalidForm, "Invalid Form Body: "+parseErr.Error())
		} else {
			rep = rt.h(s, rq)
		}
	}
	call.Status = rep.status
	s.st.calls = append(s.st.calls, call)
	held := s.holdFor(hr.Method, path)
	s.mu.Unlock()
	s.notify()
	if rep.after != nil {
		rep.after()
	}
	if held != nil && !s.await(hr.Context(), held) {
		return
	}

	if s.st.limits == nil || retryAfter > 0 {
		rateLimitHeaders(w.Header(), bucket, retryAfter)
	} else {
		maps.Copy(w.Header(), limits)
	}
	if rep.status == http.StatusNoContent || rep.body == nil {
		w.WriteHeader(rep.status)
		return
	}
	b, err := json.Marshal(rep.body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(rep.status)
	w.Write(b)
}

// faultReply is an injected failure. 429 carries what discordgo reads:
// retry_after (seconds, fractional) in the body, and the bucket headers
// its rate limiter uses to hold back the next request.
func (st *state) faultReply(status int) (reply, time.Duration) {
	if status != http.StatusTooManyRequests {
		return apiError(status, 0, fmt.Sprintf("%d: %s", status, http.StatusText(status))), 0
	}
	ra := st.faults.f.RetryAfter
	if ra <= 0 {
		ra = 50 * time.Millisecond
	}
	return reply{status: status, body: map[string]any{
		"message":     "You are being rate limited.",
		"retry_after": ra.Seconds(),
		"global":      false,
	}}, ra
}

// rateLimitHeaders are Discord's per-route headers. discordgo's rate
// limiter reads Remaining and Reset-After (Reset only without it, and then
// with Date); Retry-After is whole seconds, as Discord sends it. On a
// success Remaining stays high, so the limiter never makes a test wait.
func rateLimitHeaders(h http.Header, route string, retryAfter time.Duration) {
	sum := sha1.Sum([]byte(route))
	h.Set("X-RateLimit-Bucket", hex.EncodeToString(sum[:8]))
	h.Set("X-RateLimit-Limit", "50")
	resetAfter := time.Second
	remaining := "49"
	if retryAfter > 0 {
		resetAfter = retryAfter
		remaining = "0"
		h.Set("Retry-After", strconv.Itoa(int(math.Ceil(retryAfter.Seconds()))))
		h.Set("X-RateLimit-Scope", "user")
	}
	reset := float64(time.Now().Add(resetAfter).UnixMilli()) / 1000
	h.Set("X-RateLimit-Remaining", remaining)
	h.Set("X-RateLimit-Reset", strconv.FormatFloat(reset, 'f', 3, 64))
	h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(resetAfter.Seconds(), 'f', 3, 64))
}

func (rq *request) readBody() error {
	var err error
	rq.body, rq.files, err = wire.ReadBody(rq.r)
	return err
}

// decode unmarshals the JSON body into v.
func (rq *request) decode(v any) *reply {
	if err := json.Unmarshal(rq.body, v); err != nil {
		rep := apiError(http.StatusBadRequest, codeInvalidForm, "Invalid Form Body: "+err.Error())
		return &rep
	}
	return nil
}

func (s *Server) serveAttachment(w http.ResponseWriter, hr *http.Request) {
	s.mu.Lock()
	a := s.st.attachments[hr.PathValue("id")]
	s.mu.Unlock()
	if a == nil || a.Name != hr.PathValue("name") {
		http.NotFound(w, hr)
		return
	}
	if a.ContentType != "" {
		w.Header().Set("Content-Type", a.ContentType)
	}
	w.Write(a.Data)
}
