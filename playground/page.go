package playground

import (
	"embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista"
	"github.com/cambista/cambista/i18n"
)

//go:embed templates static
var files embed.FS

var pageTemplates = template.Must(template.New("").Funcs(template.FuncMap{
	"color": func(c int) string { return fmt.Sprintf("#%06x", c) },
	"clock": func(t time.Time) string { return t.UTC().Format("15:04") },
	"wrap":  func(v *view, m *Message) msgView { return msgView{V: v, M: m} },
	"rows":  rows,
}).ParseFS(files, "templates/*.html"))

// msgView is a message with the view it shows in.
type msgView struct {
	V *view
	M *Message
}

// component is a button or a select menu, for the template.
type component struct {
	Button *discordgo.Button
	Select *discordgo.SelectMenu
}

// rows are a message's action rows of buttons and select menus.
func rows(cs []discordgo.MessageComponent) [][]component {
	var out [][]component
	for _, c := range cs {
		r, ok := c.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		var row []component
		for _, c := range r.Components {
			switch c := c.(type) {
			case *discordgo.Button:
				row = append(row, component{Button: c})
			case *discordgo.SelectMenu:
				row = append(row, component{Select: c})
			}
		}
		out = append(out, row)
	}
	return out
}

// Handler serves the page at /playground and what it asks for below it.
// Requests that change something must come from the page's own origin.
func (g *Guild) Handler() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(files, "static")
	mux.Handle("GET /playground/static/", http.StripPrefix("/playground/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /playground", g.page)
	mux.HandleFunc("GET /playground/live", g.live)
	mux.HandleFunc("GET /playground/events", g.events)
	mux.HandleFunc("GET /playground/commands", g.commandTable)
	mux.HandleFunc("GET /playground/file", g.file)
	mux.HandleFunc("POST /playground/do", g.do)
	mux.HandleFunc("POST /playground/join", g.join)
	mux.HandleFunc("POST /playground/locale", g.setLocale)
	mux.HandleFunc("POST /playground/reset", g.reset)
	return http.NewCrossOriginProtection().Handler(mux)
}

// view is what the page shows one member in one channel.
type view struct {
	Lang     i18n.Lang
	Me       *Member
	People   []person
	Channels []Channel
	DM       *Channel
	Channel  Channel
	Messages []*Message
	Locales  []localeOption
	Locale   string // the member's
	Members  int
	// names are members' names by "@" and ID, channels' by "#" and ID.
	names map[string]string
}

// localeOption is a Discord locale by its code and its own name.
type localeOption struct {
	Code, Name string
}

type person struct {
	ID, Name, Roles string
}

// T renders a page label.
func (v *view) T(key string) string {
	if d, ok := labels[key]; ok {
		return i18n.T(v.Lang, d.Msg("Count", v.Members))
	}
	return "[" + key + "]"
}

// Href is the page's address for the member and channel.
func (v *view) Href(as, channel string) string {
	return "/playground?" + url.Values{"as": {as}, "c": {channel}}.Encode()
}

// Ephemeral says whether only the invoker sees the message.
func (m *Message) Ephemeral() bool { return m.Flags&discordgo.MessageFlagsEphemeral != 0 }

// Loading says whether the message is a deferred reply not yet completed.
func (m *Message) Loading() bool { return m.Flags&discordgo.MessageFlagsLoading != 0 }

// Invoked names who used the command the message answers.
func (v *view) Invoked(m *Message) string {
	if n := v.names["@"+m.Invoker]; n != "" {
		return n
	}
	return m.Invoker
}

// markup is Discord's markup for a member (<@id>), a channel (<#id>) or a
// time (<t:unix> or <t:unix:style>).
var markup = regexp.MustCompile(`<([@#]|t:)!?([0-9]+)(?::[tTdDfFR])?>`)

// Text shows markup as Discord does: mentions by the name of who or what
// they name, times as a date and time (in UTC, as cambista's messages
// show times).
func (v *view) Text(s string) string {
	return markup.ReplaceAllStringFunc(s, func(m string) string {
		p := markup.FindStringSubmatch(m)
		if p[1] == "t:" {
			sec, err := strconv.ParseInt(p[2], 10, 64)
			if err != nil {
				return m
			}
			return time.Unix(sec, 0).UTC().Format("2006-01-02 15:04 UTC")
		}
		if n := v.names[p[1]+p[2]]; n != "" {
			return p[1] + n
		}
		return m
	})
}

// view builds what the member sees in the channel, the owner in general by
// default. g.mu is held.
func (g *Guild) view(as, channel string) *view {
	me := g.st.Members[as]
	if me == nil {
		me = g.st.Members[OwnerID]
	}
	v := &view{Me: me, Channels: g.st.Channels, Members: len(g.st.Members), names: map[string]string{}}
	for id, m := range g.st.Members {
		v.names["@"+id] = m.Name
	}
	for _, c := range g.st.Channels {
		v.names["#"+c.ID] = c.Name
	}
	for _, l := range discordLocales {
		v.Locales = append(v.Locales, localeOption{Code: string(l), Name: l.String()})
	}
	if me == nil {
		return v
	}
	v.Lang = i18n.FromDiscord(string(me.Locale), g.lang)
	v.Locale = string(me.Locale)
	if me.DM != "" {
		v.DM = &Channel{ID: me.DM, Name: BotName, DM: me.ID}
	}
	c, ok := g.channel(channel)
	if !ok || c.DM != "" && c.DM != me.ID {
		c, _ = g.channel(g.channelByName("general"))
	}
	if c.DM != "" {
		c.Name = BotName // a DM is named after the other party
	}
	v.Channel = c
	for _, id := range g.st.order[c.ID] {
		if m := g.st.Messages[id]; g.sees(me.ID, m) {
			v.Messages = append(v.Messages, m)
		}
	}
	return v
}

// people lists the members for the switcher, with their app roles.
func (g *Guild) people(r *http.Request, v *view) {
	users, err := g.app.PlaygroundPeople(system(r.Context()))
	if err != nil {
		g.log.Warn("playground: reading the people failed", "err", err)
	}
	roles := map[string]string{}
	for _, u := range users {
		var names []string
		for _, ro := range u.Roles.List() {
			names = append(names, i18n.Word(v.Lang, ro.String()))
		}
		roles[string(u.ID)] = strings.Join(names, ", ")
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, m := range g.membersSorted() {
		r := roles[m.ID]
		if r == "" {
			r = v.T("new_member")
		}
		v.People = append(v.People, person{ID: m.ID, Name: m.Name, Roles: r})
	}
	// The business's staff first, as a server lists its roles' members.
	slices.SortStableFunc(v.People, func(a, b person) int { return rank(roles[b.ID]) - rank(roles[a.ID]) })
}

// rank orders people by how many roles they hold.
func rank(roles string) int {
	if roles == "" {
		return 0
	}
	return strings.Count(roles, ",") + 1
}

func (g *Guild) page(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	v := g.view(r.URL.Query().Get("as"), r.URL.Query().Get("c"))
	g.mu.Unlock()
	if v.Me == nil {
		http.Error(w, "the playground is starting", http.StatusServiceUnavailable)
		return
	}
	g.people(r, v)
	render(w, "page.html", v)
}

// live is the part of the page that changes: the channels and the
// messages.
func (g *Guild) live(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	defer g.mu.Unlock()
	v := g.view(r.URL.Query().Get("as"), r.URL.Query().Get("c"))
	if v.Me == nil {
		http.NotFound(w, r)
		return
	}
	render(w, "live", v)
}

func render(w http.ResponseWriter, name string, data any) {
	var b strings.Builder
	if err := pageTemplates.ExecuteTemplate(&b, name, data); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprint(w, b.String())
}

// events tells the page, as server-sent events, each time something
// changed; the page then fetches what it shows.
func (g *Guild) events(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	for {
		g.mu.Lock()
		version, changed := g.version, g.changed
		g.mu.Unlock()
		if _, err := fmt.Fprintf(w, "data: %d\n\n", version); err != nil {
			return
		}
		if err := rc.Flush(); err != nil {
			return
		}
		select {
		case <-changed:
		case <-r.Context().Done():
			return
		case <-g.closed:
			return
		}
	}
}

// commandJSON is a command as the member's client shows it: the base name
// it is sent with, and the name and description in the member's locale.
type commandJSON struct {
	Name         string         `json:"name"`
	Label        string         `json:"label"`
	Description  string         `json:"description"`
	Type         int            `json:"type"`
	Required     bool           `json:"required,omitempty"`
	Autocomplete bool           `json:"autocomplete,omitempty"`
	Choices      []choice       `json:"choices,omitempty"`
	Options      []*commandJSON `json:"options,omitempty"`
}

// commandTable is the command table the bot registered, in the member's
// locale, for the message box.
func (g *Guild) commandTable(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	defer g.mu.Unlock()
	me := g.st.Members[r.URL.Query().Get("as")]
	if me == nil {
		http.NotFound(w, r)
		return
	}
	var opt func(o *discordgo.ApplicationCommandOption) *commandJSON
	opt = func(o *discordgo.ApplicationCommandOption) *commandJSON {
		c := &commandJSON{Name: o.Name, Label: localized(o.Name, o.NameLocalizations, me.Locale),
			Description: localized(o.Description, o.DescriptionLocalizations, me.Locale), Type: int(o.Type),
			Required: o.Required, Autocomplete: o.Autocomplete}
		for _, ch := range o.Choices {
			c.Choices = append(c.Choices, choice{Name: localized(ch.Name, ch.NameLocalizations, me.Locale), Value: choiceValue(ch.Value)})
		}
		for _, s := range o.Options {
			c.Options = append(c.Options, opt(s))
		}
		return c
	}
	out := []*commandJSON{}
	for _, cmd := range g.commands {
		var names, descs map[discordgo.Locale]string
		if cmd.NameLocalizations != nil {
			names = *cmd.NameLocalizations
		}
		if cmd.DescriptionLocalizations != nil {
			descs = *cmd.DescriptionLocalizations
		}
		c := &commandJSON{Name: cmd.Name, Label: localized(cmd.Name, names, me.Locale), Description: localized(cmd.Description, descs, me.Locale)}
		for _, o := range cmd.Options {
			c.Options = append(c.Options, opt(o))
		}
		out = append(out, c)
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(out)
}

func localized(base string, l map[discordgo.Locale]string, locale discordgo.Locale) string {
	if s := l[locale]; s != "" {
		return s
	}
	return base
}

func choiceValue(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// doRequest is what the page sends when the member acts.
type doRequest struct {
	Kind     string            `json:"kind"` // command, autocomplete, click, modal
	As       string            `json:"as"`
	Channel  string            `json:"channel"`
	Path     []string          `json:"path"`
	Options  map[string]string `json:"options"`
	Focused  string            `json:"focused"`
	Message  string            `json:"message"`
	CustomID string            `json:"custom_id"`
	Values   []string          `json:"values"`
	Fields   map[string]string `json:"fields"`
}

// doResponse is a form to show, autocomplete choices, or why it was
// refused.
type doResponse struct {
	Modal   *modalJSON `json:"modal,omitempty"`
	Choices []choice   `json:"choices,omitempty"`
	Error   string     `json:"error,omitempty"`
}

type modalJSON struct {
	CustomID string      `json:"custom_id"`
	Title    string      `json:"title"`
	Inputs   []inputJSON `json:"inputs"`
}

type inputJSON struct {
	CustomID    string `json:"custom_id"`
	Label       string `json:"label"`
	Paragraph   bool   `json:"paragraph,omitempty"`
	Required    bool   `json:"required,omitempty"`
	MinLength   int    `json:"min_length,omitempty"`
	MaxLength   int    `json:"max_length,omitempty"`
	Placeholder string `json:"placeholder,omitempty"`
	Value       string `json:"value,omitempty"`
}

type choice struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

func (g *Guild) do(w http.ResponseWriter, r *http.Request) {
	var in doRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&in); err != nil {
		http.Error(w, "not a request of the page", http.StatusBadRequest)
		return
	}
	inv := Invocation{As: in.As, Channel: in.Channel, Path: in.Path, Options: in.Options, Focused: in.Focused,
		Message: in.Message, CustomID: in.CustomID, Values: in.Values, Fields: in.Fields}
	var res *Result
	var err error
	switch in.Kind {
	case "command":
		inv.Focused = ""
		res, err = g.Command(r.Context(), inv)
	case "autocomplete":
		if inv.Focused == "" {
			http.Error(w, "autocomplete needs the focused option", http.StatusBadRequest)
			return
		}
		res, err = g.Command(r.Context(), inv)
	case "click":
		res, err = g.Click(r.Context(), inv)
	case "modal":
		res, err = g.Submit(r.Context(), inv)
	default:
		http.Error(w, "unknown kind", http.StatusBadRequest)
		return
	}
	g.mu.Lock()
	lang := g.lang
	if m := g.st.Members[in.As]; m != nil {
		lang = i18n.FromDiscord(string(m.Locale), g.lang)
	}
	g.mu.Unlock()
	var out doResponse
	var ref *ErrRefused
	switch {
	case errors.As(err, &ref) && ref.Invalid == nil:
		out.Error = i18n.T(lang, msgGone.Msg())
	case errors.As(err, &ref):
		out.Error = refusal(lang, ref.Invalid, ref.Field)
	case err != nil:
		g.log.Error("playground: interaction failed", "err", err)
		out.Error = i18n.T(lang, cambista.MsgInternal.Msg())
	default:
		out.Modal = modalOf(res.Modal)
		for _, c := range res.Choices {
			out.Choices = append(out.Choices, choice{Name: c.Name, Value: choiceValue(c.Value)})
		}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(out)
}

func modalOf(d *discordgo.InteractionResponseData) *modalJSON {
	if d == nil {
		return nil
	}
	m := &modalJSON{CustomID: d.CustomID, Title: d.Title, Inputs: []inputJSON{}}
	walk(d.Components, func(c discordgo.MessageComponent) {
		if ti, ok := c.(*discordgo.TextInput); ok {
			m.Inputs = append(m.Inputs, inputJSON{CustomID: ti.CustomID, Label: ti.Label, Paragraph: ti.Style == discordgo.TextInputParagraph,
				Required: ti.Required, MinLength: ti.MinLength, MaxLength: ti.MaxLength, Placeholder: ti.Placeholder, Value: ti.Value})
		}
	})
	return m
}

// join adds a new member, who is not registered with the business: they
// start with /register, as on a real server.
func (g *Guild) join(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSpace(r.FormValue("name"))
	locale := discordgo.Locale(r.FormValue("locale"))
	if n := utf8.RuneCountInString(name); n < 1 || n > 32 || !slices.Contains(discordLocales, locale) {
		http.Error(w, i18n.T(i18n.FromDiscord(string(locale), g.lang), msgNameLen.Msg()), http.StatusBadRequest)
		return
	}
	g.mu.Lock()
	m := &Member{ID: g.ids.Next(), Name: name, Locale: locale, Joined: time.Now().UTC().Truncate(time.Second)}
	g.st.Members[m.ID] = m
	g.touch("member:" + m.ID)
	welcome := g.channelByName("welcome")
	g.mu.Unlock()
	g.save(r.Context())
	http.Redirect(w, r, (&view{}).Href(m.ID, welcome), http.StatusSeeOther)
}

// setLocale changes the member's Discord language.
func (g *Guild) setLocale(w http.ResponseWriter, r *http.Request) {
	locale := discordgo.Locale(r.FormValue("locale"))
	as := r.FormValue("as")
	g.mu.Lock()
	m := g.st.Members[as]
	if m == nil || !slices.Contains(discordLocales, locale) {
		g.mu.Unlock()
		http.Error(w, "unknown member or locale", http.StatusBadRequest)
		return
	}
	m.Locale = locale
	g.touch("member:" + m.ID)
	g.mu.Unlock()
	g.save(r.Context())
	http.Redirect(w, r, (&view{}).Href(as, r.FormValue("c")), http.StatusSeeOther)
}

func (g *Guild) reset(w http.ResponseWriter, r *http.Request) {
	if err := g.Reset(r.Context()); err != nil {
		g.log.Error("playground: reset failed", "err", err)
		http.Error(w, "reset failed", http.StatusInternalServerError)
		return
	}
	http.Redirect(w, r, "/playground", http.StatusSeeOther)
}

// file serves an attachment of a message the member sees.
func (g *Guild) file(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	g.mu.Lock()
	m := g.st.Messages[q.Get("m")]
	var a *discordgo.MessageAttachment
	if m != nil && g.sees(q.Get("as"), m) {
		for _, x := range m.Attachments {
			if x.ID == q.Get("n") {
				a = x
			}
		}
	}
	g.mu.Unlock()
	if a == nil {
		http.NotFound(w, r)
		return
	}
	_, data, _ := strings.Cut(a.URL, ";base64,")
	b, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", a.ContentType)
	w.Header().Set("Content-Disposition", "attachment; filename="+strconv.Quote(a.Filename))
	w.Write(b)
}

func encodeBase64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
