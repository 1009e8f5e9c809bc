package playground

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista/discord/wire"
)

// pending is an interaction the stand-in sent, for its follow-ups and
// for what @original names. Kept in memory: Discord's interaction tokens
// live fifteen minutes, and a restart ends them.
type pending struct {
	at       time.Time
	i        *discordgo.Interaction
	user     string
	channel  string
	original string
}

// tokenTTL is how long an interaction's token takes follow-ups, as on
// Discord.
const tokenTTL = 15 * time.Minute

// openModal is the form the bot opened for a person, which only they can
// submit, and only with its inputs.
type openModal struct {
	data    *discordgo.InteractionResponseData
	channel string
	message string // the message whose component opened it
}

// Invocation is one thing a person does in the page.
type Invocation struct {
	As      string // the member
	Channel string
	// Path and Options are a slash command by its base names (see
	// wire.Invocation); Focused is the option being typed, for
	// autocomplete.
	Path    []string
	Options map[string]string
	Focused string
	// Message and CustomID are the component clicked; Values the choices
	// of a select menu.
	Message  string
	CustomID string
	Values   []string
	// Fields are a submitted modal's inputs by custom ID.
	Fields map[string]string
}

// Result is what the page shows after an interaction beyond the messages:
// a form to fill in, or autocomplete choices.
type Result struct {
	Modal   *discordgo.InteractionResponseData
	Choices []*discordgo.ApplicationCommandOptionChoice
}

// ErrRefused is a refusal of what the person did, as Discord's client
// would refuse it (Invalid), or of a message or form that is gone (nil
// Invalid); the page shows why, in the person's language.
type ErrRefused struct {
	Invalid *wire.Invalid
	// Field is what the person knows the field as: the option's or input's
	// name, or the command.
	Field string
}

func (e *ErrRefused) Error() string {
	if e.Invalid == nil {
		return "playground: gone"
	}
	return "playground: " + e.Invalid.Error()
}

var errGone = &ErrRefused{}

// Command sends a slash command, or with Focused set an autocomplete
// request, checked against the command table the bot registered.
func (g *Guild) Command(ctx context.Context, in Invocation) (*Result, error) {
	g.mu.Lock()
	if len(in.Path) == 0 {
		g.mu.Unlock()
		return nil, &ErrRefused{Invalid: wire.NewInvalid("name", "UNKNOWN_COMMAND", "Unknown command"), Field: "/"}
	}
	var cmd *discordgo.ApplicationCommand
	for _, c := range g.commands {
		if c.Name == in.Path[0] {
			cmd = c
		}
	}
	if cmd == nil {
		g.mu.Unlock()
		return nil, &ErrRefused{Invalid: wire.NewInvalid("name", "UNKNOWN_COMMAND", "Unknown command"), Field: "/" + in.Path[0]}
	}
	data, err := wire.CommandData(cmd, wire.Invocation{Path: in.Path, Options: in.Options, Focused: in.Focused}, g.exists)
	g.mu.Unlock()
	if err != nil {
		field := strings.TrimPrefix(err.Field, "options.")
		if err.Field == "options" || err.Field == "name" || strings.HasPrefix(err.Field, "options.") && strings.Trim(field, "0123456789") == "" {
			field = "/" + strings.Join(in.Path, " ")
		}
		return nil, &ErrRefused{Invalid: err, Field: field}
	}
	t := discordgo.InteractionApplicationCommand
	if in.Focused != "" {
		t = discordgo.InteractionApplicationCommandAutocomplete
	}
	return g.interact(ctx, in, &discordgo.Interaction{Type: t, Data: data}, commandText(in))
}

// exists says whether the ID is a member, channel or role, for options of
// those types. g.mu is held.
func (g *Guild) exists(t discordgo.ApplicationCommandOptionType, id string) bool {
	switch t {
	case discordgo.ApplicationCommandOptionUser:
		return g.st.Members[id] != nil
	case discordgo.ApplicationCommandOptionChannel:
		c, ok := g.channel(id)
		return ok && c.DM == ""
	case discordgo.ApplicationCommandOptionRole:
		return slices.ContainsFunc(g.st.Roles, func(r Role) bool { return r.ID == id })
	case discordgo.ApplicationCommandOptionMentionable:
		return g.exists(discordgo.ApplicationCommandOptionUser, id) || g.exists(discordgo.ApplicationCommandOptionRole, id)
	}
	return false
}

// commandText is the command as Discord shows it above the reply.
func commandText(in Invocation) string {
	var b strings.Builder
	b.WriteString("/" + strings.Join(in.Path, " "))
	keys := make([]string, 0, len(in.Options))
	for k, v := range in.Options {
		if v != "" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		b.WriteString(" " + k + ": " + in.Options[k])
	}
	return b.String()
}

// Click presses a button, or picks Values in a select menu, of a message
// the person sees.
func (g *Guild) Click(ctx context.Context, in Invocation) (*Result, error) {
	g.mu.Lock()
	m := g.st.Messages[in.Message]
	if m == nil || m.ChannelID != in.Channel || !g.sees(in.As, m) {
		g.mu.Unlock()
		return nil, errGone
	}
	var found discordgo.MessageComponent
	walk(m.Components, func(c discordgo.MessageComponent) {
		switch c := c.(type) {
		case *discordgo.Button:
			if c.CustomID == in.CustomID && !c.Disabled {
				found = c
			}
		case *discordgo.SelectMenu:
			if c.CustomID == in.CustomID && !c.Disabled {
				found = c
			}
		}
	})
	data := discordgo.MessageComponentInteractionData{CustomID: in.CustomID}
	switch c := found.(type) {
	case *discordgo.Button:
		data.ComponentType = discordgo.ButtonComponent
	case *discordgo.SelectMenu:
		data.ComponentType = discordgo.SelectMenuComponent
		min, max := 1, 1
		if c.MinValues != nil {
			min = *c.MinValues
		}
		if c.MaxValues > 0 {
			max = c.MaxValues
		}
		if len(in.Values) < min || len(in.Values) > max {
			g.mu.Unlock()
			return nil, &ErrRefused{Invalid: wire.NewInvalid("values", "BASE_TYPE_BAD_LENGTH", "Wrong number of values"), Field: c.Placeholder}
		}
		for _, v := range in.Values {
			if !slices.ContainsFunc(c.Options, func(o discordgo.SelectMenuOption) bool { return o.Value == v }) {
				g.mu.Unlock()
				return nil, &ErrRefused{Invalid: wire.NewInvalid("values", "BASE_TYPE_CHOICES", "Not an option"), Field: c.Placeholder}
			}
		}
		data.Values = in.Values
	default:
		g.mu.Unlock()
		return nil, errGone
	}
	msg := *m.Message
	g.mu.Unlock()
	return g.interact(ctx, in, &discordgo.Interaction{Type: discordgo.InteractionMessageComponent, Data: data, Message: &msg}, "")
}

// walk calls fn for each component, in action rows too.
func walk(cs []discordgo.MessageComponent, fn func(discordgo.MessageComponent)) {
	for _, c := range cs {
		if r, ok := c.(*discordgo.ActionsRow); ok {
			walk(r.Components, fn)
			continue
		}
		fn(c)
	}
}

// Submit sends the form the bot opened for the person, with what they
// typed, checked against the form's limits.
func (g *Guild) Submit(ctx context.Context, in Invocation) (*Result, error) {
	g.mu.Lock()
	om := g.modals[in.As]
	if om == nil || om.data.CustomID != in.CustomID {
		g.mu.Unlock()
		return nil, errGone
	}
	data, err := wire.ModalSubmitData(om.data, in.Fields)
	if err != nil {
		g.mu.Unlock()
		return nil, &ErrRefused{Invalid: err, Field: inputLabel(om.data, strings.TrimPrefix(err.Field, "components."))}
	}
	delete(g.modals, in.As)
	i := &discordgo.Interaction{Type: discordgo.InteractionModalSubmit, Data: data}
	if m := g.st.Messages[om.message]; m != nil {
		msg := *m.Message
		i.Message = &msg
	}
	in.Channel = om.channel
	g.mu.Unlock()
	return g.interact(ctx, in, i, "")
}

// interact fills in who interacts and where, sends the interaction to the
// bot's endpoint signed as Discord signs it, and applies the response.
func (g *Guild) interact(ctx context.Context, in Invocation, i *discordgo.Interaction, command string) (*Result, error) {
	g.mu.Lock()
	member := g.st.Members[in.As]
	ch, ok := g.channel(in.Channel)
	switch {
	case member == nil:
		g.mu.Unlock()
		return nil, errGone
	case !ok || ch.DM != "" && ch.DM != in.As:
		g.mu.Unlock()
		return nil, errGone
	}
	i.ID, i.AppID, i.Version, i.ChannelID = g.ids.Next(), AppID, 1, ch.ID
	i.Token = "playground-" + i.ID + "-" + randomHex(16)
	i.Locale = member.Locale
	if ch.DM == "" {
		i.GuildID, i.Member, i.Context = GuildID, member.discord(), discordgo.InteractionContextGuild
		gl := discordgo.EnglishUS
		i.GuildLocale = &gl
	} else {
		i.User, i.Context = member.user(), discordgo.InteractionContextBotDM
	}
	p := &pending{at: time.Now(), i: i, user: in.As, channel: ch.ID}
	for tok, old := range g.pending {
		if time.Since(old.at) > tokenTTL {
			delete(g.pending, tok)
		}
	}
	g.pending[i.Token] = p
	g.mu.Unlock()

	resp, md, err := g.send(ctx, i)
	if err != nil {
		return nil, err
	}
	if !wire.ResponseAllowed(i.Type, resp.Type) {
		return nil, fmt.Errorf("playground: the bot answered interaction type %d with response type %d, which Discord refuses", i.Type, resp.Type)
	}
	defer g.save(ctx)
	g.mu.Lock()
	defer g.mu.Unlock()
	switch resp.Type {
	case discordgo.InteractionApplicationCommandAutocompleteResult:
		delete(g.pending, i.Token)
		if len(resp.Data.Choices) > 25 {
			return nil, errors.New("playground: the bot offered more than 25 choices")
		}
		return &Result{Choices: resp.Data.Choices}, nil
	case discordgo.InteractionResponseModal:
		if err := wire.CheckModal(md); err != nil {
			return nil, fmt.Errorf("playground: the bot's form: %w", err)
		}
		om := &openModal{data: resp.Data, channel: ch.ID}
		if i.Message != nil {
			om.message = i.Message.ID
		}
		g.modals[in.As] = om
		return &Result{Modal: resp.Data}, nil
	case discordgo.InteractionResponseChannelMessageWithSource, discordgo.InteractionResponseDeferredChannelMessageWithSource:
		m := g.newMessage(ch.ID, md, nil)
		m.Flags &= messageFlags | discordgo.MessageFlagsEphemeral
		if resp.Type == discordgo.InteractionResponseDeferredChannelMessageWithSource {
			m.Flags = m.Flags&discordgo.MessageFlagsEphemeral | discordgo.MessageFlagsLoading
		} else if empty(m.Message) {
			return nil, errors.New("playground: the bot answered with an empty message")
		} else if err := wire.CheckMessage(m.Message); err != nil {
			return nil, fmt.Errorf("playground: the bot's reply: %w", err)
		}
		m.Invoker, m.Command = in.As, command
		g.addMessage(m)
		p.original = m.ID
	case discordgo.InteractionResponseUpdateMessage, discordgo.InteractionResponseDeferredMessageUpdate:
		if i.Message == nil {
			return nil, errors.New("playground: an update of no message")
		}
		p.original = i.Message.ID
		if m := g.st.Messages[i.Message.ID]; m != nil && resp.Type == discordgo.InteractionResponseUpdateMessage {
			if !g.applyEdit(nil, m, md, nil) {
				return nil, errors.New("playground: the bot's edit is not a message Discord takes")
			}
		}
	}
	return &Result{}, nil
}

// send posts the interaction to the bot's endpoint, signed with the
// stand-in's key over the timestamp and the body, and reads the response.
func (g *Guild) send(ctx context.Context, i *discordgo.Interaction) (*discordgo.InteractionResponse, wire.Payload, error) {
	if g.bot == nil {
		return nil, wire.Payload{}, errors.New("playground: no bot connected")
	}
	body, err := json.Marshal(wire.Interaction(i))
	if err != nil {
		return nil, wire.Payload{}, err
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	sig := ed25519.Sign(g.key, append([]byte(ts), body...))
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "/discord/interactions", bytes.NewReader(body))
	if err != nil {
		return nil, wire.Payload{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(sig))
	req.Header.Set("X-Signature-Timestamp", ts)
	rec := httptest.NewRecorder()
	g.bot.ServeHTTP(rec, req)
	out, _ := io.ReadAll(rec.Result().Body)
	if rec.Code != http.StatusOK {
		return nil, wire.Payload{}, fmt.Errorf("playground: the bot's endpoint answered %d: %s", rec.Code, bytes.TrimSpace(out))
	}
	resp, md, err := wire.ParseResponse(out)
	if err != nil {
		return nil, md, fmt.Errorf("playground: the bot's response: %w", err)
	}
	return resp, md, nil
}

// sees says whether the member sees the message: everyone in the channel,
// or only the invoker when it is ephemeral. g.mu is held.
func (g *Guild) sees(member string, m *Message) bool {
	if m.Flags&discordgo.MessageFlagsEphemeral != 0 && m.Invoker != member {
		return false
	}
	c, ok := g.channel(m.ChannelID)
	return ok && (c.DM == "" || c.DM == member)
}

// inputLabel is the label of the form's input with the custom ID.
func inputLabel(modal *discordgo.InteractionResponseData, id string) string {
	label := id
	walk(modal.Components, func(c discordgo.MessageComponent) {
		if ti, ok := c.(*discordgo.TextInput); ok && ti.CustomID == id {
			label = ti.Label
		}
	})
	return label
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
