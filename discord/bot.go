// Package discord is cambista's Discord adapter: slash commands, buttons,
// select menus and modals in Spanish and English, over the gateway or the
// HTTP interactions endpoint. It parses what a person did, calls the app
// use cases, and renders the result; no business rule lives here.
package discord

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/i18n"
	"github.com/cambista/cambista/logs"
)

// Config is the bot's Discord identity.
type Config struct {
	AppID   string
	GuildID string // commands are registered to this guild; globally when empty
	// DefaultLang is for users whose Discord locale is not Spanish.
	DefaultLang i18n.Lang
	// CDNURL is a base URL attachments may be downloaded from besides
	// Discord's CDN (cdn.discordapp.com, media.discordapp.net): a proxy,
	// or a fake Discord in tests. Its scheme and host are what count.
	CDNURL string
}

// Bot answers interactions.
type Bot struct {
	app *app.Service
	s   *discordgo.Session
	cfg Config
	log *slog.Logger

	// work is what the bot does beyond a request it answers: interactions
	// and member updates from the gateway, follow-ups. Shutdown waits for
	// it, then cancels what is left.
	// panics counts interactions whose handling panicked (a payload no
	// handler expected); each is answered and logged, and the bot goes on.
	panics prometheus.Counter

	mu      sync.Mutex
	closed  bool
	work    sync.WaitGroup
	cancels map[uint64]context.CancelFunc
	next    uint64

	// mmu guards members: the members whose updates are being handled,
	// by guild and user ID.
	mmu     sync.Mutex
	members map[string]*memberWork
}

// New returns a bot that calls svc and talks to Discord through s.
func New(svc *app.Service, s *discordgo.Session, cfg Config, log *slog.Logger) *Bot {
	if cfg.DefaultLang == "" {
		cfg.DefaultLang = i18n.EN
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	panics := prometheus.NewCounter(prometheus.CounterOpts{
		Name: "cambista_discord_interaction_panics_total",
		Help: "Interactions whose handling panicked; each was answered with an apology and logged with its stack.",
	})
	return &Bot{app: svc, s: s, cfg: cfg, log: log, panics: panics, cancels: map[uint64]context.CancelFunc{}, members: map[string]*memberWork{}}
}

// Metrics returns the bot's metrics, for the process's registry.
func (b *Bot) Metrics() []prometheus.Collector { return []prometheus.Collector{b.panics} }

// begin starts work that Shutdown waits for, under a context from parent
// that Shutdown cancels if it stops waiting. The caller calls end when the
// work is done. Once Shutdown has begun, begin refuses new work: ok is
// false.
func (b *Bot) begin(parent context.Context) (ctx context.Context, end func(), ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil, nil, false
	}
	ctx, cancel := context.WithCancel(parent)
	id := b.next
	b.next++
	b.cancels[id] = cancel
	b.work.Add(1)
	return ctx, func() {
		b.mu.Lock()
		delete(b.cancels, id)
		b.mu.Unlock()
		cancel()
		b.work.Done()
	}, true
}

// Shutdown refuses new work and waits for the work in flight. If ctx ends
// first, it cancels that work, waits for it to return, and returns ctx's
// error. Stop the gateway session and the HTTP server first, so that no
// interaction arrives meanwhile.
func (b *Bot) Shutdown(ctx context.Context) error {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	idle := make(chan struct{})
	go func() {
		b.work.Wait()
		close(idle)
	}()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
	}
	b.mu.Lock()
	for _, cancel := range b.cancels {
		cancel()
	}
	b.mu.Unlock()
	<-idle
	return ctx.Err()
}

// RegisterCommands overwrites the application's commands with the table.
func (b *Bot) RegisterCommands() error {
	_, err := b.s.ApplicationCommandBulkOverwrite(b.cfg.AppID, b.cfg.GuildID, commandDefinitions())
	return err
}

// interaction is one person's action being answered.
type interaction struct {
	ctx  context.Context
	i    *discordgo.Interaction
	lang i18n.Lang
	user cambista.UserID
	key  string // the interaction ID: a replayed interaction takes effect once
}

// Handle answers one interaction. It never fails: a refused action gets an
// ephemeral message that says what was wrong and what to do, in the
// person's language.
//
// A panic while handling one interaction (an option of an unexpected type,
// say) is recovered here, in gateway and http mode alike: the person is
// told something went wrong, the stack is logged once, and the process
// goes on with the next interaction.
func (b *Bot) Handle(ctx context.Context, i *discordgo.Interaction) (resp *discordgo.InteractionResponse) {
	ctx = logs.WithTrace(ctx, i.ID)
	it := &interaction{ctx: ctx, i: i, lang: i18n.FromDiscord(string(i.Locale), b.cfg.DefaultLang), key: "discord:" + i.ID}
	defer func() {
		if p := recover(); p != nil {
			b.panics.Inc()
			resp = b.fail(it, fmt.Errorf("panic: %v\n%s", p, debug.Stack()))
		}
	}()
	switch {
	case i.Member != nil && i.Member.User != nil:
		it.user = cambista.UserID(i.Member.User.ID)
	case i.User != nil:
		it.user = cambista.UserID(i.User.ID)
	}
	// The person reads in it.lang, so what they type is read the same way
	// ("1.234" is a thousand in Spanish).
	actor, err := b.app.Actor(ctx, it.user, string(it.lang))
	if err != nil {
		return b.fail(it, err)
	}
	it.ctx = cambista.WithActor(ctx, actor)
	switch i.Type {
	case discordgo.InteractionApplicationCommand:
		resp, err = b.command(it)
	case discordgo.InteractionApplicationCommandAutocomplete:
		resp, err = b.autocomplete(it)
	case discordgo.InteractionMessageComponent:
		resp, err = b.component(it)
	case discordgo.InteractionModalSubmit:
		resp, err = b.modal(it)
	default:
		err = errUnknownAction
	}
	if err != nil {
		return b.fail(it, err)
	}
	return resp
}

var errUnknownAction = errors.New("discord: unknown interaction")

// fail turns an error into an ephemeral reply. Internal errors are logged
// with a reference the person can quote.
func (b *Bot) fail(it *interaction, err error) *discordgo.InteractionResponse {
	var text string
	switch {
	case errors.Is(err, errUnknownAction) || errors.Is(err, errBadCustomID):
		text = tr(it.lang, lUnknownAction)
	case cambista.ErrorCode(err) == cambista.EINTERNAL:
		ref := make([]byte, 4)
		rand.Read(ref)
		b.log.ErrorContext(it.ctx, "interaction failed", "ref", hex.EncodeToString(ref), "err", err)
		text = tr(it.lang, lInternalPrefix, "Reference", hex.EncodeToString(ref))
	default:
		text = "❌ " + i18n.T(it.lang, cambista.ErrorMessage(err))
	}
	return ephemeral(text)
}

func ephemeral(content string) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: content, Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: noMentions()},
	}
}

func ephemeralCard(c Card, content string) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: content, Embeds: c.Embeds, Components: c.Components, Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: noMentions()},
	}
}

// update edits the message whose button was pressed.
func update(c Card) *discordgo.InteractionResponse {
	comps := c.Components
	if comps == nil {
		comps = []discordgo.MessageComponent{} // clears the old buttons
	}
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseUpdateMessage,
		Data: &discordgo.InteractionResponseData{Embeds: c.Embeds, Components: comps, AllowedMentions: noMentions()},
	}
}

// modalResponse opens a form.
func modalResponse(customID, title string, inputs ...discordgo.TextInput) *discordgo.InteractionResponse {
	rows := make([]discordgo.MessageComponent, len(inputs))
	for i, in := range inputs {
		rows[i] = discordgo.ActionsRow{Components: []discordgo.MessageComponent{in}}
	}
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseModal,
		Data: &discordgo.InteractionResponseData{CustomID: customID, Title: truncate(title, 45), Components: rows},
	}
}

// modalValues reads a submitted form's inputs by custom ID.
func modalValues(i *discordgo.Interaction) map[string]string {
	out := map[string]string{}
	for _, c := range i.ModalSubmitData().Components {
		r, ok := c.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, in := range r.Components {
			if ti, ok := in.(*discordgo.TextInput); ok {
				out[ti.CustomID] = strings.TrimSpace(ti.Value)
			}
		}
	}
	return out
}

// Serve answers interactions from the gateway, under ctx: the response
// goes back by REST. Each is answered on a goroutine of its own, since the
// session hands events over one at a time (see NewSession). Shutdown waits
// for the interactions in flight.
func (b *Bot) Serve(ctx context.Context) {
	b.s.AddHandler(func(s *discordgo.Session, ic *discordgo.InteractionCreate) {
		ctx, end, ok := b.begin(ctx)
		if !ok {
			b.log.Warn("interaction arrived while shutting down; not answered", "interaction_id", ic.ID)
			return
		}
		go func() {
			defer end()
			resp := b.Handle(ctx, ic.Interaction)
			if err := b.respond(ctx, ic.Interaction, resp); err != nil {
				b.log.Warn("interaction response failed", "interaction_id", ic.ID, "err", err)
			}
		}()
	})
}

// respond sends resp by REST, trying again briefly when Discord answers
// 5xx or the network fails: the person is waiting, and the use case has
// already run (a retried callback repeats no business step).
func (b *Bot) respond(ctx context.Context, i *discordgo.Interaction, resp *discordgo.InteractionResponse) error {
	var err error
	for attempt := range 3 {
		if err = b.s.InteractionRespond(i, resp, discordgo.WithContext(ctx)); err == nil || !transient(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(50*(attempt+1)) * time.Millisecond):
		}
	}
	return err
}

// transient reports whether a REST error may go away by itself.
func transient(err error) bool {
	var re *discordgo.RESTError
	if errors.As(err, &re) {
		return re.Response != nil && re.Response.StatusCode >= 500
	}
	return true // the network
}
