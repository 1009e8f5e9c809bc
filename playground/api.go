package playground

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista/discord/wire"
)

// Discord's error codes the stand-in answers with.
const (
	codeUnknownChannel  = 10003
	codeUnknownGuild    = 10004
	codeUnknownMember   = 10007
	codeUnknownMessage  = 10008
	codeUnknownRole     = 10011
	codeUnknownWebhook  = 10015
	codeUnknownApp      = 10002
	codeEmptyMessage    = 50006
	codeInvalidFormBody = 50035
	codeThreadExists    = 160004
)

// Transport sends the bot's REST calls, whatever their host, to the
// stand-in's API in the process: set it as the discordgo session's
// Client.Transport.
func (g *Guild) Transport() http.RoundTripper {
	api := g.api()
	return roundTrip(func(r *http.Request) (*http.Response, error) {
		rec := httptest.NewRecorder()
		api.ServeHTTP(rec, r)
		resp := rec.Result()
		resp.Request = r
		return resp, nil
	})
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// api is the REST API, as much of Discord's v9 as the bot and the outbox
// worker use.
func (g *Guild) api() http.Handler {
	mux := http.NewServeMux()
	bot := func(h func(w http.ResponseWriter, r *http.Request, body []byte, files []wire.File)) http.HandlerFunc {
		return g.rest(h, true)
	}
	hook := func(h func(w http.ResponseWriter, r *http.Request, body []byte, files []wire.File)) http.HandlerFunc {
		return g.rest(h, false) // a webhook's token is in its path
	}
	const p = "/api/v9"
	mux.Handle("GET "+p+"/users/@me", bot(func(w http.ResponseWriter, _ *http.Request, _ []byte, _ []wire.File) { reply(w, botUser()) }))
	mux.Handle("POST "+p+"/users/@me/channels", bot(g.createDM))
	mux.Handle("PUT "+p+"/applications/{app}/commands", bot(g.putCommands))
	mux.Handle("PUT "+p+"/applications/{app}/guilds/{guild}/commands", bot(g.putCommands))
	mux.Handle("POST "+p+"/channels/{cid}/messages", bot(g.createMessage))
	mux.Handle("GET "+p+"/channels/{cid}/messages/{mid}", bot(g.getMessage))
	mux.Handle("PATCH "+p+"/channels/{cid}/messages/{mid}", bot(g.editMessage))
	mux.Handle("POST "+p+"/channels/{cid}/messages/{mid}/threads", bot(g.startThread))
	mux.Handle("GET "+p+"/guilds/{guild}/roles", bot(g.getRoles))
	mux.Handle("GET "+p+"/guilds/{guild}/members", bot(g.listMembers))
	mux.Handle("GET "+p+"/guilds/{guild}/members/{user}", bot(g.getMember))
	mux.Handle("PUT "+p+"/guilds/{guild}/members/{user}/roles/{role}", bot(g.memberRole))
	mux.Handle("DELETE "+p+"/guilds/{guild}/members/{user}/roles/{role}", bot(g.memberRole))
	mux.Handle("POST "+p+"/webhooks/{app}/{token}", hook(g.followup))
	mux.Handle("PATCH "+p+"/webhooks/{app}/{token}/messages/{mid}", hook(g.editOriginal))
	return mux
}

// rest reads the body and checks the bot's token, then runs h; the state
// is saved after every call that changed it.
func (g *Guild) rest(h func(w http.ResponseWriter, r *http.Request, body []byte, files []wire.File), auth bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if auth && r.Header.Get("Authorization") != "Bot "+g.token {
			apiError(w, http.StatusUnauthorized, 0, "401: Unauthorized")
			return
		}
		body, files, err := wire.ReadBody(r)
		if err != nil {
			apiError(w, http.StatusBadRequest, codeInvalidFormBody, "Invalid Form Body: "+err.Error())
			return
		}
		h(w, r, body, files)
		g.save(r.Context())
	}
}

func reply(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// apiError is Discord's error body; discordgo reads it into RESTError.
func apiError(w http.ResponseWriter, status, code int, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"code": code, "message": message})
}

func invalid(w http.ResponseWriter, e *wire.Invalid) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	json.NewEncoder(w).Encode(e.Body())
}

func (g *Guild) createDM(w http.ResponseWriter, _ *http.Request, body []byte, _ []wire.File) {
	var in struct {
		RecipientID string `json:"recipient_id"`
	}
	if err := json.Unmarshal(body, &in); err != nil || in.RecipientID == "" {
		invalid(w, wire.NewInvalid("recipient_id", "BASE_TYPE_REQUIRED", "This field is required"))
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	m := g.st.Members[in.RecipientID]
	if m == nil {
		// Discord opens DMs with anyone who shares a server with the bot.
		apiError(w, http.StatusBadRequest, 50007, "Cannot send messages to this user")
		return
	}
	if m.DM == "" {
		m.DM = g.ids.Next()
		g.touch("member:" + m.ID)
	}
	reply(w, discordgo.Channel{ID: m.DM, Type: discordgo.ChannelTypeDM, Recipients: []*discordgo.User{m.user()}})
}

// putCommands is bulk overwrite: the list replaces the commands, each
// checked against Discord's rules. They are not stored: the bot registers
// them at every start.
func (g *Guild) putCommands(w http.ResponseWriter, r *http.Request, body []byte, _ []wire.File) {
	if r.PathValue("app") != AppID {
		apiError(w, http.StatusNotFound, codeUnknownApp, "Unknown Application")
		return
	}
	if gid := r.PathValue("guild"); gid != "" && gid != GuildID {
		apiError(w, http.StatusNotFound, codeUnknownGuild, "Unknown Guild")
		return
	}
	var cmds []*discordgo.ApplicationCommand
	if err := json.Unmarshal(body, &cmds); err != nil {
		apiError(w, http.StatusBadRequest, codeInvalidFormBody, "Invalid Form Body: "+err.Error())
		return
	}
	if len(cmds) > 100 {
		invalid(w, wire.NewInvalid("_", "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length."))
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	old := map[string]string{}
	for _, c := range g.commands {
		old[c.Name] = c.ID
	}
	for i, c := range cmds {
		if c == nil {
			invalid(w, wire.NewInvalid(strconv.Itoa(i), "BASE_TYPE_REQUIRED", "This field is required"))
			return
		}
		if err := wire.CheckCommand(strconv.Itoa(i), c); err != nil {
			invalid(w, err)
			return
		}
		if c.Type == 0 {
			c.Type = discordgo.ChatApplicationCommand
		}
		if c.ID = old[c.Name]; c.ID == "" {
			c.ID = g.ids.Next()
		}
		c.ApplicationID, c.GuildID, c.Version = AppID, r.PathValue("guild"), g.ids.Next()
	}
	g.commands = cmds
	g.bump()
	reply(w, cmds)
}

// newMessage makes a message of the bot in the channel from a payload.
// g.mu is held.
func (g *Guild) newMessage(channelID string, md wire.Payload, files []wire.File) *Message {
	m := &Message{Message: &discordgo.Message{ID: g.ids.Next(), ChannelID: channelID, Author: botUser(), Timestamp: time.Now().UTC()}}
	if c, ok := g.channel(channelID); ok && c.DM == "" {
		m.GuildID = GuildID
	}
	edit(m.Message, md, files)
	if md.Flags != nil {
		m.Flags = *md.Flags
	}
	return m
}

// edit applies the fields present in md, and appends files as
// attachments, whose bytes the page serves.
func edit(m *discordgo.Message, md wire.Payload, files []wire.File) {
	if md.Content != nil {
		m.Content = *md.Content
	}
	if md.Embeds != nil {
		m.Embeds = *md.Embeds
	}
	if md.Components != nil {
		m.Components = *md.Components
	}
	if md.Attachments != nil {
		keep := map[string]bool{}
		for _, a := range *md.Attachments {
			if a != nil {
				keep[a.ID] = true
			}
		}
		m.Attachments = slices.DeleteFunc(slices.Clone(m.Attachments), func(a *discordgo.MessageAttachment) bool { return !keep[a.ID] })
	}
	for _, f := range files {
		// The file travels in the URL, so the stored message keeps it: a
		// playground's files are small (statements as CSV).
		m.Attachments = append(m.Attachments, &discordgo.MessageAttachment{
			ID: strconv.Itoa(len(m.Attachments) + 1), Filename: f.Name, ContentType: f.ContentType, Size: len(f.Data),
			URL: "data:" + f.ContentType + ";base64," + encodeBase64(f.Data),
		})
	}
}

func empty(m *discordgo.Message) bool {
	return m.Content == "" && len(m.Embeds) == 0 && len(m.Components) == 0 && len(m.Attachments) == 0
}

// messageFlags are the flags a bot may set on a message it sends.
const messageFlags = discordgo.MessageFlagsSuppressEmbeds | discordgo.MessageFlagsSuppressNotifications | discordgo.MessageFlagsIsComponentsV2

func (g *Guild) createMessage(w http.ResponseWriter, r *http.Request, body []byte, files []wire.File) {
	md, err := wire.ParsePayload(body)
	if err != nil {
		apiError(w, http.StatusBadRequest, codeInvalidFormBody, "Invalid Form Body: "+err.Error())
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, ok := g.channel(r.PathValue("cid")); !ok {
		apiError(w, http.StatusNotFound, codeUnknownChannel, "Unknown Channel")
		return
	}
	m := g.newMessage(r.PathValue("cid"), md, files)
	m.Flags &= messageFlags
	if !g.valid(w, m.Message) {
		return
	}
	g.addMessage(m)
	reply(w, wire.Message(m.Message))
}

// startThread opens a thread on a message (a dispute's card): a channel
// of its own in the list, with the message's ID, as Discord gives it; a
// message starts one thread at most.
func (g *Guild) startThread(w http.ResponseWriter, r *http.Request, body []byte, _ []wire.File) {
	var in struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal(body, &in); err != nil || in.Name == "" {
		apiError(w, http.StatusBadRequest, codeInvalidFormBody, "Invalid Form Body: name")
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	m := g.channelMessage(w, r)
	if m == nil {
		return
	}
	if _, ok := g.channel(m.ID); ok {
		apiError(w, http.StatusBadRequest, codeThreadExists, "A thread has already been created for this message")
		return
	}
	g.st.Channels = append(g.st.Channels, Channel{ID: m.ID, Name: in.Name, Parent: m.ChannelID})
	reply(w, &discordgo.Channel{ID: m.ID, GuildID: GuildID, ParentID: m.ChannelID, Name: in.Name, Type: discordgo.ChannelTypeGuildPublicThread})
}

// valid answers Discord's error and reports false when m is not a message
// Discord would take.
func (g *Guild) valid(w http.ResponseWriter, m *discordgo.Message) bool {
	if empty(m) {
		apiError(w, http.StatusBadRequest, codeEmptyMessage, "Cannot send an empty message")
		return false
	}
	if err := wire.CheckMessage(m); err != nil {
		invalid(w, err)
		return false
	}
	return true
}

// channelMessage finds the message in the channel. g.mu is held.
func (g *Guild) channelMessage(w http.ResponseWriter, r *http.Request) *Message {
	m := g.st.Messages[r.PathValue("mid")]
	if m == nil || m.ChannelID != r.PathValue("cid") {
		apiError(w, http.StatusNotFound, codeUnknownMessage, "Unknown Message")
		return nil
	}
	return m
}

func (g *Guild) getMessage(w http.ResponseWriter, r *http.Request, _ []byte, _ []wire.File) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if m := g.channelMessage(w, r); m != nil {
		reply(w, wire.Message(m.Message))
	}
}

func (g *Guild) editMessage(w http.ResponseWriter, r *http.Request, body []byte, files []wire.File) {
	md, err := wire.ParsePayload(body)
	if err != nil {
		apiError(w, http.StatusBadRequest, codeInvalidFormBody, "Invalid Form Body: "+err.Error())
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if m := g.channelMessage(w, r); m != nil {
		g.applyEdit(w, m, md, files)
	}
}

// applyEdit edits m if the result is a valid message, and answers it;
// a refused edit changes nothing. w may be nil. g.mu is held.
func (g *Guild) applyEdit(w http.ResponseWriter, m *Message, md wire.Payload, files []wire.File) bool {
	next := *m.Message
	next.Embeds, next.Components, next.Attachments = slices.Clone(m.Embeds), slices.Clone(m.Components), slices.Clone(m.Attachments)
	edit(&next, md, files)
	loading := next.Flags&discordgo.MessageFlagsLoading != 0
	next.Flags &^= discordgo.MessageFlagsLoading
	if !loading {
		t := time.Now().UTC()
		next.EditedTimestamp = &t
	}
	rec := w
	if rec == nil {
		rec = httptest.NewRecorder()
	}
	if !g.valid(rec, &next) {
		return false
	}
	*m.Message = next
	g.touch("msg:" + m.ID)
	if w != nil {
		reply(w, wire.Message(m.Message))
	}
	return true
}

func (g *Guild) guild(w http.ResponseWriter, r *http.Request) bool {
	if r.PathValue("guild") != GuildID {
		apiError(w, http.StatusNotFound, codeUnknownGuild, "Unknown Guild")
		return false
	}
	return true
}

func (g *Guild) getRoles(w http.ResponseWriter, r *http.Request, _ []byte, _ []wire.File) {
	if !g.guild(w, r) {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	out := []*discordgo.Role{{ID: GuildID, Name: "@everyone"}}
	for i, ro := range g.st.Roles {
		out = append(out, &discordgo.Role{ID: ro.ID, Name: ro.Name, Position: i + 1})
	}
	reply(w, out)
}

// listMembers pages by user ID as Discord does.
func (g *Guild) listMembers(w http.ResponseWriter, r *http.Request, _ []byte, _ []wire.File) {
	if !g.guild(w, r) {
		return
	}
	limit, err := strconv.Atoi(r.URL.Query().Get("limit"))
	if err != nil || limit < 1 || limit > 1000 {
		limit = 1
	}
	after := r.URL.Query().Get("after")
	if after == "" {
		after = "0"
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	out := []*discordgo.Member{}
	for _, m := range g.membersSorted() {
		if compareIDs(m.ID, after) > 0 && len(out) < limit {
			out = append(out, m.discord())
		}
	}
	reply(w, out)
}

// membersSorted returns the members by ID. g.mu is held.
func (g *Guild) membersSorted() []*Member {
	out := make([]*Member, 0, len(g.st.Members))
	for _, m := range g.st.Members {
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b *Member) int { return compareIDs(a.ID, b.ID) })
	return out
}

func (g *Guild) getMember(w http.ResponseWriter, r *http.Request, _ []byte, _ []wire.File) {
	if !g.guild(w, r) {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	m := g.st.Members[r.PathValue("user")]
	if m == nil {
		apiError(w, http.StatusNotFound, codeUnknownMember, "Unknown Member")
		return
	}
	reply(w, m.discord())
}

func (g *Guild) memberRole(w http.ResponseWriter, r *http.Request, _ []byte, _ []wire.File) {
	if !g.guild(w, r) {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	m := g.st.Members[r.PathValue("user")]
	if m == nil {
		apiError(w, http.StatusNotFound, codeUnknownMember, "Unknown Member")
		return
	}
	role := r.PathValue("role")
	if !slices.ContainsFunc(g.st.Roles, func(ro Role) bool { return ro.ID == role }) {
		apiError(w, http.StatusNotFound, codeUnknownRole, "Unknown Role")
		return
	}
	has := slices.Contains(m.Roles, role)
	switch {
	case r.Method == http.MethodPut && !has:
		m.Roles = append(m.Roles, role)
		g.touch("member:" + m.ID)
	case r.Method == http.MethodDelete && has:
		m.Roles = slices.DeleteFunc(m.Roles, func(x string) bool { return x == role })
		g.touch("member:" + m.ID)
	}
	w.WriteHeader(http.StatusNoContent)
}

// webhook finds the interaction whose token is in the path. g.mu is held.
func (g *Guild) webhook(w http.ResponseWriter, r *http.Request) *pending {
	p := g.pending[r.PathValue("token")]
	if p == nil || r.PathValue("app") != AppID {
		apiError(w, http.StatusNotFound, codeUnknownWebhook, "Unknown Webhook")
		return nil
	}
	return p
}

// followup creates a follow-up message; after a deferred response the
// first one completes the "thinking" message instead, as on Discord.
func (g *Guild) followup(w http.ResponseWriter, r *http.Request, body []byte, files []wire.File) {
	md, err := wire.ParsePayload(body)
	if err != nil {
		apiError(w, http.StatusBadRequest, codeInvalidFormBody, "Invalid Form Body: "+err.Error())
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	p := g.webhook(w, r)
	if p == nil {
		return
	}
	if orig := g.st.Messages[p.original]; orig != nil && orig.Flags&discordgo.MessageFlagsLoading != 0 {
		md.Flags = nil
		g.applyEdit(w, orig, md, files)
		return
	}
	m := g.newMessage(p.channel, md, files)
	m.Flags &= messageFlags | discordgo.MessageFlagsEphemeral
	m.Invoker = p.user
	if !g.valid(w, m.Message) {
		return
	}
	g.addMessage(m)
	if r.URL.Query().Get("wait") != "true" {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	reply(w, wire.Message(m.Message))
}

func (g *Guild) editOriginal(w http.ResponseWriter, r *http.Request, body []byte, files []wire.File) {
	md, err := wire.ParsePayload(body)
	if err != nil {
		apiError(w, http.StatusBadRequest, codeInvalidFormBody, "Invalid Form Body: "+err.Error())
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	p := g.webhook(w, r)
	if p == nil {
		return
	}
	id := r.PathValue("mid")
	if id == "@original" {
		id = p.original
	}
	m := g.st.Messages[id]
	if m == nil || id != p.original && (m.Invoker != p.user || m.ChannelID != p.channel) {
		apiError(w, http.StatusNotFound, codeUnknownMessage, "Unknown Message")
		return
	}
	g.applyEdit(w, m, md, files)
}
