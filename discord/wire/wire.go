// Package wire is what Discord's API accepts and sends, as far as
// cambista's stand-ins for Discord need it: message payloads decoded field
// by field, the limits Discord enforces on messages, modals, commands and
// what a person may type, interactions and messages as Discord's JSON, and
// snowflake IDs. The fake Discord of the tests (discordtest) and the
// playground's stand-in share it, so both refuse what Discord refuses.
package wire

import (
	"encoding/json"
	"strconv"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Interaction returns the interaction as Discord sends it. discordgo leaves
// components out of its JSON in two places it only decodes: a modal
// submission's text inputs and the message a component was on; they are
// put back here, everything else marshals as it is.
func Interaction(i *discordgo.Interaction) any {
	out := wireInteraction{Interaction: i, Data: i.Data}
	if d, ok := i.Data.(discordgo.ModalSubmitInteractionData); ok {
		out.Data = modalData{CustomID: d.CustomID, Components: d.Components}
	}
	if i.Message != nil {
		out.Message = Message(i.Message)
	}
	return out
}

// wireInteraction shadows the embedded interaction's data and message.
type wireInteraction struct {
	*discordgo.Interaction
	Data    any `json:"data"`
	Message any `json:"message"`
}

type modalData struct {
	CustomID   string                       `json:"custom_id"`
	Components []discordgo.MessageComponent `json:"components"`
}

// Message is a message's JSON with its components, which
// discordgo.Message does not marshal.
func Message(m *discordgo.Message) any {
	comps := m.Components
	if comps == nil {
		comps = []discordgo.MessageComponent{}
	}
	return struct {
		*discordgo.Message
		Components []discordgo.MessageComponent `json:"components"`
	}{m, comps}
}

// ParseResponse decodes an interaction response as Discord reads it (the
// body of an HTTP interactions endpoint, or of a callback): discordgo
// cannot decode the components it marshals. The payload tells which
// fields were present.
func ParseResponse(b []byte) (*discordgo.InteractionResponse, Payload, error) {
	var in struct {
		Type discordgo.InteractionResponseType `json:"type"`
		Data json.RawMessage                   `json:"data"`
	}
	if err := json.Unmarshal(b, &in); err != nil {
		return nil, Payload{}, err
	}
	md, err := ParsePayload(in.Data)
	if err != nil {
		return nil, md, err
	}
	resp := &discordgo.InteractionResponse{Type: in.Type, Data: &discordgo.InteractionResponseData{
		CustomID: md.CustomID,
		Title:    md.Title,
		Choices:  md.Choices,
	}}
	if md.Content != nil {
		resp.Data.Content = *md.Content
	}
	if md.Embeds != nil {
		resp.Data.Embeds = *md.Embeds
	}
	if md.Components != nil {
		resp.Data.Components = *md.Components
	}
	if md.Flags != nil {
		resp.Data.Flags = *md.Flags
	}
	resp.Data.AllowedMentions = md.Mentions
	return resp, md, nil
}

// ResponseAllowed says which responses Discord accepts for each
// interaction type.
func ResponseAllowed(it discordgo.InteractionType, rt discordgo.InteractionResponseType) bool {
	switch rt {
	case discordgo.InteractionResponsePong:
		return it == discordgo.InteractionPing
	case discordgo.InteractionResponseChannelMessageWithSource, discordgo.InteractionResponseDeferredChannelMessageWithSource:
		return it == discordgo.InteractionApplicationCommand || it == discordgo.InteractionMessageComponent || it == discordgo.InteractionModalSubmit
	case discordgo.InteractionResponseDeferredMessageUpdate, discordgo.InteractionResponseUpdateMessage:
		return it == discordgo.InteractionMessageComponent || it == discordgo.InteractionModalSubmit
	case discordgo.InteractionApplicationCommandAutocompleteResult:
		return it == discordgo.InteractionApplicationCommandAutocomplete
	case discordgo.InteractionResponseModal:
		return it == discordgo.InteractionApplicationCommand || it == discordgo.InteractionMessageComponent
	}
	return false
}

// IDs makes snowflakes from the current time, as Discord does, so that
// later IDs sort after earlier ones (Discord's list pagination and
// discordgo.SnowflakeTimestamp rely on it). The zero IDs is ready to use.
type IDs struct {
	mu   sync.Mutex
	last uint64
}

// discordEpoch is 2015-01-01 in Unix milliseconds.
const discordEpoch = 1420070400000

// Next returns a new snowflake, later than every one before it.
func (g *IDs) Next() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	id := uint64(time.Now().UnixMilli()-discordEpoch) << 22
	if id <= g.last {
		id = g.last + 1
	}
	g.last = id
	return strconv.FormatUint(id, 10)
}

// After makes every later ID greater than id, for IDs that continue a
// sequence stored before a restart.
func (g *IDs) After(id string) {
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if n > g.last {
		g.last = n
	}
}
