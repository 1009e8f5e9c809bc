package wire

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/bwmarrin/discordgo"
)

// Payload is a message payload as sent: the fields that were present, so
// an edit changes only those (a JSON null clears a field, as on Discord).
// The last fields belong to interaction responses.
type Payload struct {
	Content     *string
	Embeds      *[]*discordgo.MessageEmbed
	Components  *[]discordgo.MessageComponent
	Flags       *discordgo.MessageFlags
	Attachments *[]*discordgo.MessageAttachment   // on edit: the ones to keep
	Mentions    *discordgo.MessageAllowedMentions // allowed_mentions, as sent

	CustomID string
	Title    string
	Choices  []*discordgo.ApplicationCommandOptionChoice
}

// ParsePayload decodes a message payload. Components are an
// interface in discordgo, so they are decoded one by one by type.
func ParsePayload(b []byte) (Payload, error) {
	var md Payload
	b = bytes.TrimSpace(b)
	if len(b) == 0 || bytes.Equal(b, []byte("null")) {
		return md, nil
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return md, err
	}
	field := func(key string, v any) (bool, error) {
		r, ok := raw[key]
		if !ok {
			return false, nil
		}
		if bytes.Equal(r, []byte("null")) {
			return true, nil
		}
		if err := json.Unmarshal(r, v); err != nil {
			return true, fmt.Errorf("%s: %w", key, err)
		}
		return true, nil
	}
	var content string
	if ok, err := field("content", &content); err != nil {
		return md, err
	} else if ok {
		md.Content = &content
	}
	var embeds []*discordgo.MessageEmbed
	if ok, err := field("embeds", &embeds); err != nil {
		return md, err
	} else if ok {
		md.Embeds = &embeds
	}
	var flags discordgo.MessageFlags
	if ok, err := field("flags", &flags); err != nil {
		return md, err
	} else if ok {
		md.Flags = &flags
	}
	var mentions discordgo.MessageAllowedMentions
	if ok, err := field("allowed_mentions", &mentions); err != nil {
		return md, err
	} else if ok {
		md.Mentions = &mentions
	}
	var atts []*discordgo.MessageAttachment
	if ok, err := field("attachments", &atts); err != nil {
		return md, err
	} else if ok {
		md.Attachments = &atts
	}
	var rawComps []json.RawMessage
	if ok, err := field("components", &rawComps); err != nil {
		return md, err
	} else if ok {
		comps := make([]discordgo.MessageComponent, 0, len(rawComps))
		for _, rc := range rawComps {
			c, err := discordgo.MessageComponentFromJSON(rc)
			if err != nil {
				return md, fmt.Errorf("components: %w", err)
			}
			comps = append(comps, c)
		}
		md.Components = &comps
	}
	if _, err := field("custom_id", &md.CustomID); err != nil {
		return md, err
	}
	if _, err := field("title", &md.Title); err != nil {
		return md, err
	}
	if _, err := field("choices", &md.Choices); err != nil {
		return md, err
	}
	return md, nil
}
