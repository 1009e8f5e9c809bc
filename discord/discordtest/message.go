package discordtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// messageData is a message payload as sent: the fields that were present,
// so an edit changes only those (a JSON null clears a field, as on
// Discord). The last fields belong to interaction responses.
type messageData struct {
	content     *string
	embeds      *[]*discordgo.MessageEmbed
	components  *[]discordgo.MessageComponent
	flags       *discordgo.MessageFlags
	attachments *[]*discordgo.MessageAttachment   // on edit: the ones to keep
	mentions    *discordgo.MessageAllowedMentions // allowed_mentions, as sent

	customID string
	title    string
	choices  []*discordgo.ApplicationCommandOptionChoice
}

// parseMessageData decodes a message payload. Components are an
// interface in discordgo, so they are decoded one by one by type.
func parseMessageData(b []byte) (messageData, error) {
	var md messageData
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
		md.content = &content
	}
	var embeds []*discordgo.MessageEmbed
	if ok, err := field("embeds", &embeds); err != nil {
		return md, err
	} else if ok {
		md.embeds = &embeds
	}
	var flags discordgo.MessageFlags
	if ok, err := field("flags", &flags); err != nil {
		return md, err
	} else if ok {
		md.flags = &flags
	}
	var mentions discordgo.MessageAllowedMentions
	if ok, err := field("allowed_mentions", &mentions); err != nil {
		return md, err
	} else if ok {
		md.mentions = &mentions
	}
	var atts []*discordgo.MessageAttachment
	if ok, err := field("attachments", &atts); err != nil {
		return md, err
	} else if ok {
		md.attachments = &atts
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
		md.components = &comps
	}
	if _, err := field("custom_id", &md.customID); err != nil {
		return md, err
	}
	if _, err := field("title", &md.title); err != nil {
		return md, err
	}
	if _, err := field("choices", &md.choices); err != nil {
		return md, err
	}
	return md, nil
}

// newMessage makes a message (not yet stored) from a payload and files.
func (s *Server) newMessage(channelID string, md messageData, files []File) *Message {
	m := &Message{ID: s.ids.next(), ChannelID: channelID, Time: time.Now().UTC()}
	if _, dm := s.st.dmUsers[channelID]; !dm {
		m.GuildID = GuildID
	}
	s.edit(m, md, files)
	if md.flags != nil {
		m.Flags = *md.flags
	}
	return m
}

// edit applies the fields present in md, and appends files as new
// attachments. Flags are left to the caller: most cannot be edited.
func (s *Server) edit(m *Message, md messageData, files []File) {
	if md.content != nil {
		m.Content = *md.content
	}
	if md.mentions != nil {
		m.AllowedMentions = md.mentions
	}
	if md.embeds != nil {
		m.Embeds = *md.embeds
		for _, e := range m.Embeds {
			if e.Type == "" {
				e.Type = discordgo.EmbedTypeRich
			}
		}
	}
	if md.components != nil {
		m.Components = *md.components
	}
	if md.attachments != nil {
		keep := make(map[string]bool)
		for _, a := range *md.attachments {
			if a != nil {
				keep[a.ID] = true
			}
		}
		m.Attachments = slices.DeleteFunc(slices.Clone(m.Attachments), func(a Attachment) bool { return !keep[a.ID] })
	}
	for _, f := range files {
		id := s.ids.next()
		m.Attachments = append(m.Attachments, Attachment{ID: id, URL: s.URL() + "/attachments/" + id + "/" + url.PathEscape(f.Name), File: f})
	}
}

// empty reports whether a message has nothing to show; Discord refuses it.
func (m *Message) empty() bool {
	return m.Content == "" && len(m.Embeds) == 0 && len(m.Components) == 0 && len(m.Attachments) == 0
}

// invalid is a form error as Discord reports it (code 50035), naming the
// field and the rule.
type invalid struct {
	field, code, message string
}

func (e *invalid) reply() reply {
	return reply{status: 400, body: map[string]any{
		"code":    50035,
		"message": "Invalid Form Body",
		"errors": map[string]any{e.field: map[string]any{
			"_errors": []map[string]string{{"code": e.code, "message": e.message}},
		}},
	}}
}

func tooLong(field string, max int) *invalid {
	return &invalid{field, "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", max)}
}

func checkLen(field, v string, max int, required bool) *invalid {
	if required && v == "" {
		return &invalid{field, "BASE_TYPE_REQUIRED", "This field is required"}
	}
	if utf8.RuneCountInString(v) > max {
		return tooLong(field, max)
	}
	return nil
}

// validate checks the limits Discord enforces on messages, so that a
// message too long for Discord fails in tests too.
func validate(m *Message) *invalid {
	v2 := m.Flags&discordgo.MessageFlagsIsComponentsV2 != 0
	if err := checkLen("content", m.Content, 2000, false); err != nil {
		return err
	}
	if len(m.Embeds) > 10 {
		return &invalid{"embeds", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length."}
	}
	total := 0
	for i, e := range m.Embeds {
		p := fmt.Sprintf("embeds.%d.", i)
		if err := checkLen(p+"title", e.Title, 256, false); err != nil {
			return err
		}
		if err := checkLen(p+"description", e.Description, 4096, false); err != nil {
			return err
		}
		total += utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description)
		if len(e.Fields) > 25 {
			return &invalid{p + "fields", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."}
		}
		for j, f := range e.Fields {
			q := fmt.Sprintf("%sfields.%d.", p, j)
			if err := checkLen(q+"name", f.Name, 256, true); err != nil {
				return err
			}
			if err := checkLen(q+"value", f.Value, 1024, true); err != nil {
				return err
			}
			total += utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
		}
		if e.Footer != nil {
			if err := checkLen(p+"footer.text", e.Footer.Text, 2048, false); err != nil {
				return err
			}
			total += utf8.RuneCountInString(e.Footer.Text)
		}
		if e.Author != nil {
			if err := checkLen(p+"author.name", e.Author.Name, 256, false); err != nil {
				return err
			}
			total += utf8.RuneCountInString(e.Author.Name)
		}
	}
	if total > 6000 {
		return &invalid{"embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000"}
	}
	if v2 {
		if m.Content != "" || len(m.Embeds) > 0 {
			return &invalid{"content", "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2", "The 'content' and 'embeds' fields cannot be used when using MessageFlags.IS_COMPONENTS_V2"}
		}
		return checkCustomIDs("components", m.Components)
	}
	if len(m.Components) > 5 {
		return &invalid{"components", "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length."}
	}
	for i, c := range m.Components {
		p := fmt.Sprintf("components.%d", i)
		row, ok := c.(*discordgo.ActionsRow)
		if !ok {
			return &invalid{p, "UNION_TYPE_CHOICES", "Value of field \"type\" must be one of (1,)."}
		}
		if err := checkRow(p, row, false); err != nil {
			return err
		}
	}
	return checkCustomIDs("components", m.Components)
}

// checkRow checks an action row: up to five buttons, or one select menu,
// or (in a modal) one text input.
func checkRow(p string, row *discordgo.ActionsRow, modal bool) *invalid {
	if len(row.Components) == 0 || len(row.Components) > 5 {
		return &invalid{p + ".components", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."}
	}
	for j, c := range row.Components {
		q := fmt.Sprintf("%s.components.%d.", p, j)
		switch c := c.(type) {
		case *discordgo.Button:
			if modal {
				return &invalid{q + "type", "COMPONENT_TYPE_INVALID", "Buttons are not allowed in modals."}
			}
			if err := checkLen(q+"label", c.Label, 80, false); err != nil {
				return err
			}
			if c.Style == discordgo.LinkButton {
				if c.URL == "" {
					return &invalid{q + "url", "BASE_TYPE_REQUIRED", "This field is required"}
				}
			} else if err := checkLen(q+"custom_id", c.CustomID, 100, true); err != nil {
				return err
			}
		case *discordgo.SelectMenu:
			if modal || len(row.Components) != 1 {
				return &invalid{q + "type", "COMPONENT_LAYOUT_WIDTH_EXCEEDED", "The specified component exceeds the maximum width"}
			}
			if err := checkLen(q+"custom_id", c.CustomID, 100, true); err != nil {
				return err
			}
			if err := checkLen(q+"placeholder", c.Placeholder, 150, false); err != nil {
				return err
			}
			if c.MenuType == discordgo.StringSelectMenu || c.MenuType == 0 {
				if len(c.Options) == 0 || len(c.Options) > 25 {
					return &invalid{q + "options", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 25 in length."}
				}
			}
			for k, o := range c.Options {
				r := fmt.Sprintf("%soptions.%d.", q, k)
				if err := checkLen(r+"label", o.Label, 100, true); err != nil {
					return err
				}
				if err := checkLen(r+"value", o.Value, 100, true); err != nil {
					return err
				}
				if err := checkLen(r+"description", o.Description, 100, false); err != nil {
					return err
				}
			}
		case *discordgo.TextInput:
			if !modal || len(row.Components) != 1 {
				return &invalid{q + "type", "COMPONENT_TYPE_INVALID", "Text inputs are only allowed in modals, one per row."}
			}
			if err := checkLen(q+"custom_id", c.CustomID, 100, true); err != nil {
				return err
			}
			if err := checkLen(q+"label", c.Label, 45, true); err != nil {
				return err
			}
			if err := checkLen(q+"placeholder", c.Placeholder, 100, false); err != nil {
				return err
			}
			if err := checkLen(q+"value", c.Value, 4000, false); err != nil {
				return err
			}
		default:
			return &invalid{q + "type", "COMPONENT_TYPE_INVALID", fmt.Sprintf("Component type %d is not allowed in an action row.", c.Type())}
		}
	}
	return nil
}

// checkCustomIDs: Discord refuses two components with one custom ID in a
// message or modal, since a click could not tell them apart.
func checkCustomIDs(field string, comps []discordgo.MessageComponent) *invalid {
	seen := make(map[string]bool)
	var walk func([]discordgo.MessageComponent) *invalid
	walk = func(cs []discordgo.MessageComponent) *invalid {
		for _, c := range cs {
			id := ""
			switch c := c.(type) {
			case *discordgo.ActionsRow:
				if err := walk(c.Components); err != nil {
					return err
				}
			case *discordgo.Container:
				if err := walk(c.Components); err != nil {
					return err
				}
			case *discordgo.Section:
				if err := walk(c.Components); err != nil {
					return err
				}
				if c.Accessory != nil {
					if err := walk([]discordgo.MessageComponent{c.Accessory}); err != nil {
						return err
					}
				}
			case *discordgo.Button:
				id = c.CustomID
			case *discordgo.SelectMenu:
				id = c.CustomID
			case *discordgo.TextInput:
				id = c.CustomID
			}
			if id == "" {
				continue
			}
			if utf8.RuneCountInString(id) > 100 {
				return tooLong(field+".custom_id", 100)
			}
			if seen[id] {
				return &invalid{field, "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated: " + id}
			}
			seen[id] = true
		}
		return nil
	}
	return walk(comps)
}

// validateModal checks a modal response (type 9).
func validateModal(md messageData) *invalid {
	if err := checkLen("data.title", md.title, 45, true); err != nil {
		return err
	}
	if err := checkLen("data.custom_id", md.customID, 100, true); err != nil {
		return err
	}
	if md.components == nil || len(*md.components) == 0 || len(*md.components) > 5 {
		return &invalid{"data.components", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."}
	}
	for i, c := range *md.components {
		p := fmt.Sprintf("data.components.%d", i)
		row, ok := c.(*discordgo.ActionsRow)
		if !ok {
			return &invalid{p, "UNION_TYPE_CHOICES", "Value of field \"type\" must be one of (1,)."}
		}
		if err := checkRow(p, row, true); err != nil {
			return err
		}
	}
	return checkCustomIDs("data.components", *md.components)
}
