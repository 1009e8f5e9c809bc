// Package playground is a stand-in for Discord that runs inside cambista
// when no Discord token is set: one guild with its channels, members and
// direct messages, shown in the browser at /playground and driven through
// the bot's real code paths. The bot answers the stand-in's interactions on
// its signed HTTP interactions endpoint (real Ed25519 signatures, a key
// pair made at start), and its REST calls — the replies' follow-ups, the
// outbox worker's cards, DMs and role changes, the command table — go to
// the stand-in's REST API through the discordgo session's HTTP transport.
// What the stand-in accepts is what Discord accepts (package discord/wire,
// shared with the tests' fake Discord). Its state is kept in the business's
// database (app.PlaygroundStore), apart from the business: it changes
// business data only through the bot.
package playground

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/discord/wire"
	"github.com/cambista/cambista/i18n"
)

// The stand-in's fixed identities: the state kept in the database refers to
// them, so they stay the same across restarts.
const (
	AppID     = "1000000000000000001"
	GuildID   = "1000000000000000002"
	BotUserID = "1000000000000000003"
	// OwnerID is the guild's owner, a superuser who sets the business's
	// channels and roles up with the bot's own commands the first time.
	OwnerID   = "1000000000000000004"
	BotName   = "cambista"
	GuildName = "cambista"
)

// Channel names, in the order the sidebar shows them. All but general are
// the business's channels of the same kind (/config channel).
var channelNames = []string{"general", "welcome", "admin", "cashier", "log"}

// The app roles the guild has a Discord role for (/config role).
var roleNames = []string{"client", "agent", "cashier", "superuser"}

// discordLocales are those a member may have, as Discord's clients send them.
var discordLocales = []discordgo.Locale{discordgo.SpanishES, discordgo.SpanishLATAM, discordgo.EnglishUS}

// Guild is the stand-in: a guild, its REST API and its interactions. Its
// methods are safe for concurrent use.
type Guild struct {
	app   *app.Service
	log   *slog.Logger
	lang  i18n.Lang // the page's language for locales that are not Spanish
	token string
	key   ed25519.PrivateKey
	pub   ed25519.PublicKey
	ids   wire.IDs

	// bot is the bot's HTTP interactions endpoint, set by Connect.
	bot http.Handler

	mu       sync.Mutex
	st       state
	pending  map[string]*pending // interactions by token, for follow-ups
	modals   map[string]*openModal
	commands []*discordgo.ApplicationCommand
	version  uint64
	changed  chan struct{}
	closed   chan struct{}
	// dirty are the keys whose values changed since the last save.
	dirty map[string]bool
}

// state is what the database keeps.
type state struct {
	Channels []Channel           `json:"channels"`
	Roles    []Role              `json:"roles"`
	Members  map[string]*Member  `json:"-"`
	Messages map[string]*Message `json:"-"`
	// order is each channel's message IDs, oldest first.
	order map[string][]string
}

// Channel is a guild channel, or a member's DMs with the bot.
type Channel struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// DM is the member whose direct messages these are.
	DM string `json:"dm,omitempty"`
	// Parent is the channel of the message a thread started from.
	Parent string `json:"parent,omitempty"`
}

// Role is a guild role.
type Role struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Member is a person in the guild.
type Member struct {
	ID     string           `json:"id"`
	Name   string           `json:"name"`
	Locale discordgo.Locale `json:"locale"`
	Roles  []string         `json:"roles"`
	DM     string           `json:"dm,omitempty"` // the DM channel's ID, once the bot opened it
	Joined time.Time        `json:"joined"`
}

// Message is a message in a channel, as Discord keeps it, with who sees it
// when it is ephemeral and what it answers.
type Message struct {
	*discordgo.Message
	// Invoker is the person whose interaction the message answers; only
	// they see it when it is ephemeral.
	Invoker string
	// Command is what the invoker used ("/send amount: 100"), shown above
	// the reply as Discord does.
	Command string
}

// stored is a message's JSON in the database: discordgo marshals a message
// without its components, which wire.Message puts back.
type stored struct {
	Message json.RawMessage `json:"message"`
	Invoker string          `json:"invoker,omitempty"`
	Command string          `json:"command,omitempty"`
}

// Config is what the stand-in needs.
type Config struct {
	// App keeps the stand-in's state and tells who the business's people
	// are, through the system's use cases.
	App *app.Service
	Log *slog.Logger
	// Lang is the page's language for members whose locale is not
	// Spanish, as the bot's CAMBISTA_DISCORD_LANG.
	Lang i18n.Lang
}

// New returns a stand-in with a fresh key pair and bot token. Connect the
// bot to it, then Start it.
func New(cfg Config) (*Guild, error) {
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("playground key: %w", err)
	}
	tok := make([]byte, 24)
	rand.Read(tok)
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.Lang == "" {
		cfg.Lang = i18n.EN
	}
	return &Guild{
		app: cfg.App, log: log, lang: cfg.Lang, token: "playground-" + hex.EncodeToString(tok), key: key, pub: pub,
		pending: map[string]*pending{}, modals: map[string]*openModal{},
		changed: make(chan struct{}), closed: make(chan struct{}), dirty: map[string]bool{},
	}, nil
}

// Token is the bot token the stand-in's REST API accepts.
func (g *Guild) Token() string { return g.token }

// PublicKey is the key the bot verifies the stand-in's interactions with.
func (g *Guild) PublicKey() ed25519.PublicKey { return g.pub }

// Connect gives the stand-in the bot's HTTP interactions endpoint.
func (g *Guild) Connect(bot http.Handler) { g.bot = bot }

// system is ctx as the process, which the stand-in's use cases require.
func system(ctx context.Context) context.Context {
	return cambista.WithActor(ctx, cambista.SystemActor)
}

// Start loads the stand-in's state from the database, or makes a new guild
// and sets the business up in it (see reset). Connect the bot and register
// its commands first.
func (g *Guild) Start(ctx context.Context) error {
	items, err := g.app.PlaygroundItems(system(ctx))
	if err != nil {
		return fmt.Errorf("playground: load: %w", err)
	}
	if items["guild"] == "" {
		return g.Reset(ctx)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.load(items)
}

// load reads the stored items into the state. g.mu is held.
func (g *Guild) load(items map[string]string) error {
	st := state{Members: map[string]*Member{}, Messages: map[string]*Message{}, order: map[string][]string{}}
	if err := json.Unmarshal([]byte(items["guild"]), &st); err != nil {
		return fmt.Errorf("playground: guild: %w", err)
	}
	var msgs []*Message
	for k, v := range items {
		switch {
		case strings.HasPrefix(k, "member:"):
			var m Member
			if err := json.Unmarshal([]byte(v), &m); err != nil {
				return fmt.Errorf("playground: %s: %w", k, err)
			}
			st.Members[m.ID] = &m
		case strings.HasPrefix(k, "msg:"):
			var s stored
			var d discordgo.Message
			if err := json.Unmarshal([]byte(v), &s); err != nil {
				return fmt.Errorf("playground: %s: %w", k, err)
			}
			if err := json.Unmarshal(s.Message, &d); err != nil {
				return fmt.Errorf("playground: %s: %w", k, err)
			}
			m := &Message{Message: &d, Invoker: s.Invoker, Command: s.Command}
			st.Messages[d.ID] = m
			msgs = append(msgs, m)
			g.ids.After(d.ID)
		}
	}
	slices.SortFunc(msgs, func(a, b *Message) int { return compareIDs(a.ID, b.ID) })
	for _, m := range msgs {
		st.order[m.ChannelID] = append(st.order[m.ChannelID], m.ID)
	}
	for _, m := range st.Members {
		g.ids.After(m.ID)
		g.ids.After(m.DM)
	}
	for _, c := range st.Channels {
		g.ids.After(c.ID)
	}
	g.st = st
	g.bump()
	return nil
}

// Reset starts the playground again: a new guild with its channels and
// roles, the business's people as members (and the owner), and no
// messages. The owner then sets the business's channels and roles with the
// bot's /config commands, as a superuser would on Discord. The business's
// data stays as it is.
func (g *Guild) Reset(ctx context.Context) error {
	people, err := g.app.PlaygroundPeople(system(ctx))
	if err != nil {
		return fmt.Errorf("playground: people: %w", err)
	}
	g.mu.Lock()
	st := state{Members: map[string]*Member{}, Messages: map[string]*Message{}, order: map[string][]string{}}
	for _, name := range channelNames {
		st.Channels = append(st.Channels, Channel{ID: g.ids.Next(), Name: name})
	}
	for _, name := range roleNames {
		st.Roles = append(st.Roles, Role{ID: g.ids.Next(), Name: name})
	}
	now := time.Now().UTC().Truncate(time.Second)
	st.Members[OwnerID] = &Member{ID: OwnerID, Name: "Owner", Locale: discordgo.EnglishUS, Joined: now}
	for _, u := range people {
		if st.Members[string(u.ID)] != nil {
			continue
		}
		loc := discordgo.SpanishLATAM
		if u.Locale == "en" {
			loc = discordgo.EnglishUS
		}
		st.Members[string(u.ID)] = &Member{ID: string(u.ID), Name: u.DisplayName, Locale: loc, Joined: now}
	}
	g.st = st
	g.pending, g.modals = map[string]*pending{}, map[string]*openModal{}
	items := map[string]string{"guild": mustJSON(g.st)}
	for id, m := range st.Members {
		items["member:"+id] = mustJSON(m)
	}
	g.dirty = map[string]bool{}
	g.bump()
	g.mu.Unlock()
	if err := g.app.SavePlayground(system(ctx), items, true); err != nil {
		return fmt.Errorf("playground: save: %w", err)
	}
	return g.setUp(ctx)
}

// setUp has the owner tell the bot which channel and role is which, with
// the same commands a superuser types on Discord.
func (g *Guild) setUp(ctx context.Context) error {
	g.mu.Lock()
	admin := g.channelByName("admin")
	var steps []Invocation
	for _, c := range g.st.Channels {
		if c.Name != "general" {
			steps = append(steps, Invocation{Path: []string{"config", "channel"}, Options: map[string]string{"kind": c.Name, "channel": c.ID}})
		}
	}
	for _, r := range g.st.Roles {
		steps = append(steps, Invocation{Path: []string{"config", "role"}, Options: map[string]string{"role": r.Name, "discord_role": r.ID}})
	}
	g.mu.Unlock()
	for _, in := range steps {
		in.As, in.Channel = OwnerID, admin
		if _, err := g.Command(ctx, in); err != nil {
			return fmt.Errorf("playground: set up %s: %w", strings.Join(in.Path, " "), err)
		}
	}
	return nil
}

// Close ends the live updates, so that the HTTP server can stop.
func (g *Guild) Close() {
	g.mu.Lock()
	defer g.mu.Unlock()
	select {
	case <-g.closed:
	default:
		close(g.closed)
	}
}

// bump records a change: live pages reload what they show. g.mu is held.
func (g *Guild) bump() {
	g.version++
	close(g.changed)
	g.changed = make(chan struct{})
}

// touch marks a stored value as changed. g.mu is held.
func (g *Guild) touch(key string) {
	g.dirty[key] = true
	g.bump()
}

// save writes the changed values to the database. A failure is logged:
// the stand-in keeps working from memory, and the next save writes them.
func (g *Guild) save(ctx context.Context) {
	g.mu.Lock()
	items := map[string]string{}
	for k := range g.dirty {
		switch {
		case k == "guild":
			items[k] = mustJSON(g.st)
		case strings.HasPrefix(k, "member:"):
			if m := g.st.Members[strings.TrimPrefix(k, "member:")]; m != nil {
				items[k] = mustJSON(m)
			} else {
				items[k] = ""
			}
		case strings.HasPrefix(k, "msg:"):
			if m := g.st.Messages[strings.TrimPrefix(k, "msg:")]; m != nil {
				items[k] = mustJSON(stored{Message: json.RawMessage(mustJSON(wire.Message(m.Message))), Invoker: m.Invoker, Command: m.Command})
			} else {
				items[k] = ""
			}
		}
	}
	g.dirty = map[string]bool{}
	g.mu.Unlock()
	if len(items) == 0 {
		return
	}
	if err := g.app.SavePlayground(system(context.WithoutCancel(ctx)), items, false); err != nil {
		g.log.Warn("playground: saving its state failed", "err", err)
		g.mu.Lock()
		for k := range items {
			g.dirty[k] = true
		}
		g.mu.Unlock()
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic("playground: " + err.Error()) // only values the stand-in built
	}
	return string(b)
}

// compareIDs orders decimal snowflakes numerically.
func compareIDs(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

// channelByName returns the guild channel's ID. g.mu is held.
func (g *Guild) channelByName(name string) string {
	for _, c := range g.st.Channels {
		if c.Name == name {
			return c.ID
		}
	}
	return ""
}

// channel returns the channel with the ID, a DM channel included. g.mu is
// held.
func (g *Guild) channel(id string) (Channel, bool) {
	for _, c := range g.st.Channels {
		if c.ID == id {
			return c, true
		}
	}
	for _, m := range g.st.Members {
		if m.DM == id && id != "" {
			return Channel{ID: id, Name: m.Name, DM: m.ID}, true
		}
	}
	return Channel{}, false
}

// addMessage stores a new message. g.mu is held.
func (g *Guild) addMessage(m *Message) {
	g.st.Messages[m.ID] = m
	g.st.order[m.ChannelID] = append(g.st.order[m.ChannelID], m.ID)
	g.touch("msg:" + m.ID)
}

// botUser is the bot as Discord shows it.
func botUser() *discordgo.User {
	return &discordgo.User{ID: BotUserID, Username: BotName, Discriminator: "0", Bot: true}
}

func (m *Member) discord() *discordgo.Member {
	return &discordgo.Member{GuildID: GuildID, User: m.user(), Roles: slices.Clone(m.Roles), JoinedAt: m.Joined}
}

func (m *Member) user() *discordgo.User {
	return &discordgo.User{ID: m.ID, Username: m.Name, GlobalName: m.Name, Discriminator: "0"}
}
