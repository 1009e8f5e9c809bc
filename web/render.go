package web

import (
	"bytes"
	"compress/flate"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/i18n"
	"github.com/cambista/cambista/money"
)

//go:embed templates
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// views are the parsed pages: each page file with the layout and the
// shared partials, so every page defines its own "content".
type views struct {
	pages map[string]*template.Template
}

// assetVersion maps each static file to a short hash of its content, so
// asset URLs change when the file does and can be cached for long.
var assetVersion = func() map[string]string {
	out := map[string]string{}
	fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[strings.TrimPrefix(p, "static/")] = hex.EncodeToString(sum[:6])
		return nil
	})
	return out
}()

func asset(name string) (string, error) {
	v, ok := assetVersion[name]
	if !ok {
		return "", fmt.Errorf("no static file %q", name)
	}
	return "/static/" + name + "?v=" + v, nil
}

func loadViews() (*views, error) {
	base, err := template.New("layout.html").Funcs(template.FuncMap{"asset": asset}).
		ParseFS(templateFS, "templates/layout.html", "templates/partials.html", "templates/partial_*.html")
	if err != nil {
		return nil, err
	}
	files, err := fs.Glob(templateFS, "templates/page_*.html")
	if err != nil {
		return nil, err
	}
	v := &views{pages: map[string]*template.Template{}}
	for _, f := range files {
		t, err := template.Must(base.Clone()).ParseFS(templateFS, f)
		if err != nil {
			return nil, err
		}
		v.pages[strings.TrimSuffix(strings.TrimPrefix(path.Base(f), "page_"), ".html")] = t
	}
	return v, nil
}

// staticHandler serves the embedded assets. Their URLs carry a content
// hash, so they may be cached for a year.
func staticHandler() http.Handler {
	sub, _ := fs.Sub(staticFS, "static") // the directory is embedded
	files := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r) // no directory listings
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		files.ServeHTTP(w, r)
	})
}

// view is what a page's template reads: the reader's language and
// identity, the session's form token, a confirmation or error to show, and
// the page's own data.
type view struct {
	Lang  i18n.Lang
	Title string // a label key
	Nav   string // the menu entry to mark as current
	Actor cambista.Actor
	Name  string // the user's display name
	CSRF  string
	Path  string // the page's own path, to come back to
	Flash string
	Error string
	// ErrorField is the input (its name) the error is about, to show the
	// message beside it; "" when it is about the form as a whole.
	ErrorField string
	Typed      url.Values // what a refused form had typed, to fill it again
	Data       any
	Now        time.Time // when the page was made

	names map[cambista.UserID]string // display names of the people the page shows
	back  *refusal                   // the form sent back to the page, once read
}

// row pairs an item of a list with the view, for the partials that render
// one item but need the reader's language.
type row struct {
	V    *view
	Item any
}

// Row returns item with the view.
func (v *view) Row(item any) row { return row{V: v, Item: item} }

// Toggle is the form that switches something on or off at url: it offers
// only the switch that changes something.
func (v *view) Toggle(url string, enabled bool) row {
	return v.Row(struct {
		URL     string
		Enabled bool
	}{url, enabled})
}

// Pick is a select named name over options, with selected chosen and,
// when orAny is set, a first option "any" (the empty value).
func (v *view) Pick(name string, options []choice, selected string, orAny bool) row {
	return v.Row(struct {
		Name     string
		Options  []choice
		Selected string
		Any      bool
	}{name, options, selected, orAny})
}

// Who names a person by the name people know them by, the Discord ID in
// its title; someone unknown by ID, and the system by its word.
func (v *view) Who(who any) template.HTML {
	id := cambista.UserID(fmt.Sprint(who)) // a UserID, or an audit event's actor
	n := v.NameOf(id)
	if n == string(id) {
		return template.HTML(template.HTMLEscapeString(n))
	}
	return template.HTML(`<span class="who" title="` + template.HTMLEscapeString(string(id)) + `">` + template.HTMLEscapeString(n) + `</span>`)
}

// NameOf is the name of a person, as plain text.
func (v *view) NameOf(id cambista.UserID) string {
	if n, ok := v.names[id]; ok && n != "" {
		return n
	}
	if cambista.ValidateUserID(id) != nil {
		return v.Word(id) // "system", "discord"
	}
	return string(id)
}

func (p *Panel) newView(r *request, sess *app.PanelSession, sessionID string) *view {
	lang := i18n.ES
	if sess.Lang == string(i18n.EN) {
		lang = i18n.EN
	}
	path := r.URL.RequestURI()
	if r.Method != http.MethodGet {
		path = "/" // a form's URL is no page to come back to
	}
	return &view{Lang: lang, Actor: cambista.ActorFromContext(r.Context()), CSRF: csrfToken(sessionID), Path: path, Now: p.cfg.Now()}
}

// T returns a label in the reader's language.
func (v *view) T(key string) string { return label(v.Lang, key) }

// Msg renders a message in the reader's language.
func (v *view) Msg(m cambista.Message) string { return i18n.T(v.Lang, m) }

// Entry renders a journal entry's description in the reader's language.
func (v *view) Entry(d cambista.EntryDescription) string { return v.Msg(d.Message()) }

// Money writes an amount as the reader writes numbers.
func (v *view) Money(a money.Amount) string { return i18n.Money(v.Lang, a) }

// Number writes a rate or a percentage as the reader writes numbers.
func (v *view) Number(n fmt.Stringer) string { return i18n.Number(v.Lang, n.String()) }

// Minor writes minor units of a currency, as Money does.
func (v *view) Minor(minor int64, c money.Currency) string { return v.Money(money.New(minor, c)) }

// Time writes a time in UTC, the same in both languages: operators in
// several countries compare them. It never wraps.
func (v *view) Time(t time.Time) template.HTML {
	if t.IsZero() {
		return "—"
	}
	t = t.UTC()
	return template.HTML(`<time datetime="` + t.Format(time.RFC3339) + `">` + t.Format("2006-01-02 15:04 UTC") + `</time>`)
}

// Word names a state or an enum value (a role, a user type) in the
// reader's language.
func (v *view) Word(s any) string { return i18n.Word(v.Lang, fmt.Sprint(s)) }

// Key returns a fresh idempotency key for a form: submitting the form
// twice (a double click, a reload) runs its use case once.
func (v *view) Key() string {
	var b [16]byte
	rand.Read(b[:])
	return "web:" + base64.RawURLEncoding.EncodeToString(b[:])
}

// Can reports whether the reader may do act, to show only the menus and
// buttons they can use; the use cases decide.
func (v *view) Can(act string) bool { return v.Actor.Can(cambista.Action(act)) }

// HXHeaders is the hx-headers attribute that makes every htmx request
// carry the form token.
func (v *view) HXHeaders() string {
	b, _ := json.Marshal(map[string]string{csrfHeader: v.CSRF})
	return string(b)
}

// render writes a page (or, with part set, one of its partials) with the
// status.
func (p *Panel) render(w http.ResponseWriter, status int, page, part string, data any) {
	t := p.views.pages[page]
	if t == nil {
		panic("web: no page " + page)
	}
	name := "layout"
	if part != "" {
		name = part
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, name, data); err != nil {
		p.log.Error("render failed", "page", page, "part", part, "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	b.WriteTo(w)
}

// show renders an authenticated page, with the flash left by the request
// before (a redirect after a form) and the user's name.
func (p *Panel) show(w http.ResponseWriter, r *request, status int, page, nav string, data any) {
	v := r.view
	v.Title, v.Nav, v.Data = "title."+page, nav, data
	v.Flash = p.once(w, r, flashCookie)
	back := p.sentBack(w, r)
	v.ErrorField, v.Typed = back.Field, back.Typed
	if back.Error != "" {
		v.Error = back.Error
		status = http.StatusUnprocessableEntity // the page says the form was refused
	}
	p.readerName(r)
	p.render(w, status, page, "", v)
}

// once reads a cookie left by the request before, and clears it.
func (p *Panel) once(w http.ResponseWriter, r *request, name string) string {
	c, err := r.Cookie(name)
	if err != nil {
		return ""
	}
	p.clearCookie(w, name, "/")
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		return ""
	}
	return string(b)
}

// Field returns what a refused form had typed in the field, or def: a
// form sent back keeps its values.
func (v *view) Field(name string, def any) string {
	if vs, ok := v.Typed[name]; ok && len(vs) > 0 {
		return vs[0]
	}
	return fmt.Sprint(def)
}

// refuse ends a refused form. htmx gets the message in the page's error
// slot; a plain form goes back (303) to the page to, which shows the
// message above the form and fills the form with what was typed, so a
// reload does not post again.
func (p *Panel) refuse(w http.ResponseWriter, r *request, err error, to string) {
	p.refuseAs(w, r, err, cambista.ErrorMessage(err), "", typedValues(r), to)
}

// refuseAs is refuse saying m, beside the input field when it is not "",
// and filling the form with typed.
func (p *Panel) refuseAs(w http.ResponseWriter, r *request, err error, m cambista.Message, field string, typed url.Values, to string) {
	status := statusOf(err)
	if status == http.StatusInternalServerError {
		p.log.Error("panel form failed", "path", r.URL.Path, "request_id", w.Header().Get("X-Request-ID"), "err", err)
	}
	r.view.Error = r.view.Msg(m)
	if r.Header.Get(hxRequest) == "true" {
		w.Header().Set("HX-Retarget", "#form-error")
		w.Header().Set("HX-Reswap", "innerHTML")
		p.render(w, status, "error", "error-fragment", r.view)
		return
	}
	p.sendBack(w, r, refusal{Error: r.view.Error, Field: field, Typed: typed}, to)
}

// sendBack redirects (303) to the page to, which shows the form again as
// back says, once: a reload of that page shows it empty and posts nothing.
func (p *Panel) sendBack(w http.ResponseWriter, r *request, back refusal, to string) {
	if enc, ok := back.encode(); ok {
		p.setCookie(w, refusedCookie, enc, "/", time.Minute)
	}
	http.Redirect(w, r.Request, localPath(to), http.StatusSeeOther)
}

// typedValues is what the form posted, but for its token, key and
// confirmation.
func typedValues(r *request) url.Values {
	typed := url.Values{}
	for k, vs := range r.PostForm {
		if k != csrfField && k != keyField && k != confirmField {
			typed[k] = vs
		}
	}
	return typed
}

// sentBack returns the form sent back to this page by the request before,
// read (and cleared) once per request.
func (p *Panel) sentBack(w http.ResponseWriter, r *request) refusal {
	if r.view.back == nil {
		b, _ := readRefusal(p.once(w, r, refusedCookie))
		r.view.back = &b
	}
	return *r.view.back
}

// refusal is what a form sent back leaves for its page: why it was
// refused ("" when it only comes back to be edited further), the input
// that is about, and what was typed.
type refusal struct {
	Error string     `json:"e,omitempty"`
	Field string     `json:"f,omitempty"`
	Typed url.Values `json:"t,omitempty"`
}

// maxCookie bounds a cookie's value: browsers keep about 4 KB per cookie,
// name and attributes included.
const maxCookie = 3800

// encode packs the refusal into a cookie value, compressed, as a long CEL
// expression or many tiers would not fit otherwise. What still does not
// fit loses its typed values, never its message.
func (b refusal) encode() (string, bool) {
	for range 2 {
		js, err := json.Marshal(b)
		if err != nil {
			return "", false
		}
		var z bytes.Buffer
		fw, _ := flate.NewWriter(&z, flate.BestCompression) // the level is valid
		fw.Write(js)
		fw.Close()
		if enc := base64.RawURLEncoding.EncodeToString(z.Bytes()); len(enc) <= maxCookie {
			return enc, true
		}
		b.Typed = nil
	}
	return "", false
}

func readRefusal(s string) (refusal, bool) {
	var b refusal
	if s == "" {
		return b, false
	}
	js, err := io.ReadAll(io.LimitReader(flate.NewReader(strings.NewReader(s)), 1<<16))
	if err != nil || json.Unmarshal(js, &b) != nil {
		return refusal{}, false
	}
	return b, true
}

// confirmField is set by the form of a confirmation page.
const confirmField = "confirmed"

// confirmation is what the confirmation page shows: the question, and the
// form to send again with the answer.
type confirmation struct {
	Question string     `json:"q"`
	Action   string     `json:"a"`
	Fields   url.Values `json:"f"`
	Back     string     `json:"b"`
}

// confirmTTL is how long a question waits for its answer.
const confirmTTL = 15 * time.Minute

// confirmed reports whether the form was confirmed. If it was not, it
// redirects (303) to the confirmation page, which asks the question with a
// form that sends the same fields again confirmed and a way back to the
// page back: the question is a page of its own, which a reload shows
// again without posting anything.
func (p *Panel) confirmed(w http.ResponseWriter, r *request, back string, question cambista.Message) bool {
	if r.PostFormValue(confirmField) == "yes" {
		p.clearCookie(w, confirmCookie, "/")
		return true
	}
	fields := url.Values{}
	for k, vs := range r.PostForm {
		if k != csrfField {
			fields[k] = vs
		}
	}
	js, _ := json.Marshal(confirmation{Question: r.view.Msg(question), Action: r.URL.Path, Fields: fields, Back: localPath(back)})
	body := base64.RawURLEncoding.EncodeToString(js)
	p.setCookie(w, confirmCookie, body+"."+confirmMAC(r.view.CSRF, body), "/", confirmTTL)
	http.Redirect(w, r.Request, "/confirm", http.StatusSeeOther)
	return false
}

// confirmMAC signs a question with the session's form token, so that the
// page posts only what this session's own form asked: a cookie planted by
// another site (or another session's) shows nothing.
func confirmMAC(token, body string) string {
	m := hmac.New(sha256.New, []byte("cambista confirmation\x00"+token))
	m.Write([]byte(body))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// confirmPage asks the question left by confirmed; without one there is
// nothing to confirm, and the reader goes home.
func (p *Panel) confirmPage(w http.ResponseWriter, r *request) {
	var c confirmation
	ok := false
	if ck, err := r.Cookie(confirmCookie); err == nil {
		body, mac, found := strings.Cut(ck.Value, ".")
		if js, err := base64.RawURLEncoding.DecodeString(body); found && err == nil &&
			hmac.Equal([]byte(mac), []byte(confirmMAC(r.view.CSRF, body))) {
			ok = json.Unmarshal(js, &c) == nil
		}
	}
	if !ok {
		http.Redirect(w, r.Request, "/", http.StatusSeeOther)
		return
	}
	c.Action, c.Back = localPath(c.Action), localPath(c.Back)
	p.show(w, r, http.StatusOK, "confirm", "", c)
}

// done ends a successful form: a redirect to the page to show next, with a
// confirmation in the reader's language to show once.
func (p *Panel) done(w http.ResponseWriter, r *request, to string, m cambista.Message) {
	p.setCookie(w, flashCookie, base64.RawURLEncoding.EncodeToString([]byte(r.view.Msg(m))), "/", time.Minute)
	http.Redirect(w, r.Request, to, http.StatusSeeOther)
}

// statuses maps the error codes to HTTP statuses, in one place.
var statuses = map[string]int{
	cambista.EINVALID:      http.StatusUnprocessableEntity,
	cambista.ENOTFOUND:     http.StatusNotFound,
	cambista.ECONFLICT:     http.StatusConflict,
	cambista.EFORBIDDEN:    http.StatusForbidden,
	cambista.EINSUFFICIENT: http.StatusConflict,
	cambista.EINTERNAL:     http.StatusInternalServerError,
}

func statusOf(err error) int {
	if s, ok := statuses[cambista.ErrorCode(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// fail shows an error: a whole page, or a fragment for htmx. Internal
// errors are logged with their cause and the request ID; the reader sees a
// generic message.
func (p *Panel) fail(w http.ResponseWriter, r *request, err error) {
	status := statusOf(err)
	if status == http.StatusInternalServerError {
		p.log.ErrorContext(r.Context(), "panel request failed", "path", r.URL.Path, "err", err)
	}
	v := r.view
	v.Error = v.Msg(cambista.ErrorMessage(err))
	if r.Header.Get(hxRequest) == "true" {
		p.render(w, status, "error", "error-fragment", v)
		return
	}
	v.Title, v.Data = "title.error", status
	p.readerName(r)
	p.render(w, status, "error", "", v)
}

// readerName puts the reader's name in the page's header.
func (p *Panel) readerName(r *request) {
	if u, err := p.svc.User(r.Context(), r.view.Actor.UserID); err == nil {
		r.view.Name = u.Name()
	}
}

// errorPage shows an error to someone who may have no session.
func (p *Panel) errorPage(w http.ResponseWriter, r *http.Request, lang i18n.Lang, status int, m cambista.Message) {
	v := &view{Lang: lang, Title: "title.error", Path: r.URL.RequestURI(), Error: i18n.T(lang, m), Data: status}
	p.render(w, status, "error", "", v)
}

// anonymousLang picks the language of a page shown before login: asked for
// with ?lang=, chosen before (a cookie), or the browser's first choice
// between Spanish and English, Spanish when it has neither.
func (p *Panel) anonymousLang(r *http.Request) i18n.Lang {
	if l, err := i18n.Parse(r.URL.Query().Get("lang")); err == nil {
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil {
		if l, err := i18n.Parse(c.Value); err == nil {
			return l
		}
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		if l, err := i18n.Parse(tag); err == nil {
			return l
		}
	}
	return i18n.ES
}
