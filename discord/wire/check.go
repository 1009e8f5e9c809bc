package wire

import (
	"fmt"
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// Invalid is a form error as Discord reports it (code 50035, HTTP 400),
// naming the field and the rule.
type Invalid struct {
	Field, Code, Message string
}

// NewInvalid returns the error of field breaking the rule code.
func NewInvalid(field, code, message string) *Invalid {
	return &Invalid{Field: field, Code: code, Message: message}
}

func (e *Invalid) Error() string { return e.Field + ": " + e.Message }

// Body is the error's JSON body, as Discord sends it.
func (e *Invalid) Body() map[string]any {
	return map[string]any{
		"code":    50035,
		"message": "Invalid Form Body",
		"errors": map[string]any{e.Field: map[string]any{
			"_errors": []map[string]string{{"code": e.Code, "message": e.Message}},
		}},
	}
}

func TooLong(field string, max int) *Invalid {
	return NewInvalid(field, "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", max))
}

func CheckLen(field, v string, max int, required bool) *Invalid {
	if required && v == "" {
		return NewInvalid(field, "BASE_TYPE_REQUIRED", "This field is required")
	}
	if utf8.RuneCountInString(v) > max {
		return TooLong(field, max)
	}
	return nil
}

// CheckMessage checks the limits Discord enforces on a message, so that a
// message too long for Discord is refused here too.
func CheckMessage(m *discordgo.Message) *Invalid {
	v2 := m.Flags&discordgo.MessageFlagsIsComponentsV2 != 0
	if err := CheckLen("content", m.Content, 2000, false); err != nil {
		return err
	}
	if len(m.Embeds) > 10 {
		return NewInvalid("embeds", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
	}
	total := 0
	for i, e := range m.Embeds {
		p := fmt.Sprintf("embeds.%d.", i)
		if err := CheckLen(p+"title", e.Title, 256, false); err != nil {
			return err
		}
		if err := CheckLen(p+"description", e.Description, 4096, false); err != nil {
			return err
		}
		total += utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description)
		if len(e.Fields) > 25 {
			return NewInvalid(p+"fields", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
		}
		for j, f := range e.Fields {
			q := fmt.Sprintf("%sfields.%d.", p, j)
			if err := CheckLen(q+"name", f.Name, 256, true); err != nil {
				return err
			}
			if err := CheckLen(q+"value", f.Value, 1024, true); err != nil {
				return err
			}
			total += utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
		}
		if e.Footer != nil {
			if err := CheckLen(p+"footer.text", e.Footer.Text, 2048, false); err != nil {
				return err
			}
			total += utf8.RuneCountInString(e.Footer.Text)
		}
		if e.Author != nil {
			if err := CheckLen(p+"author.name", e.Author.Name, 256, false); err != nil {
				return err
			}
			total += utf8.RuneCountInString(e.Author.Name)
		}
	}
	if total > 6000 {
		return NewInvalid("embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")
	}
	if v2 {
		if m.Content != "" || len(m.Embeds) > 0 {
			return NewInvalid("content", "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2", "The 'content' and 'embeds' fields cannot be used when using MessageFlags.IS_COMPONENTS_V2")
		}
		return checkCustomIDs("components", m.Components)
	}
	if len(m.Components) > 5 {
		return NewInvalid("components", "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")
	}
	for i, c := range m.Components {
		p := fmt.Sprintf("components.%d", i)
		row, ok := c.(*discordgo.ActionsRow)
		if !ok {
			return NewInvalid(p, "UNION_TYPE_CHOICES", "Value of field \"type\" must be one of (1,).")
		}
		if err := checkRow(p, row, false); err != nil {
			return err
		}
	}
	return checkCustomIDs("components", m.Components)
}

// checkRow checks an action row: up to five buttons, or one select menu,
// or (in a modal) one text input.
func checkRow(p string, row *discordgo.ActionsRow, modal bool) *Invalid {
	if len(row.Components) == 0 || len(row.Components) > 5 {
		return NewInvalid(p+".components", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")
	}
	for j, c := range row.Components {
		q := fmt.Sprintf("%s.components.%d.", p, j)
		switch c := c.(type) {
		case *discordgo.Button:
			if modal {
				return NewInvalid(q+"type", "COMPONENT_TYPE_INVALID", "Buttons are not allowed in modals.")
			}
			if err := CheckLen(q+"label", c.Label, 80, false); err != nil {
				return err
			}
			if c.Style == discordgo.LinkButton {
				if c.URL == "" {
					return NewInvalid(q+"url", "BASE_TYPE_REQUIRED", "This field is required")
				}
			} else if err := CheckLen(q+"custom_id", c.CustomID, 100, true); err != nil {
				return err
			}
		case *discordgo.SelectMenu:
			if modal || len(row.Components) != 1 {
				return NewInvalid(q+"type", "COMPONENT_LAYOUT_WIDTH_EXCEEDED", "The specified component exceeds the maximum width")
			}
			if err := CheckLen(q+"custom_id", c.CustomID, 100, true); err != nil {
				return err
			}
			if err := CheckLen(q+"placeholder", c.Placeholder, 150, false); err != nil {
				return err
			}
			if c.MenuType == discordgo.StringSelectMenu || c.MenuType == 0 {
				if len(c.Options) == 0 || len(c.Options) > 25 {
					return NewInvalid(q+"options", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 25 in length.")
				}
			}
			for k, o := range c.Options {
				r := fmt.Sprintf("%soptions.%d.", q, k)
				if err := CheckLen(r+"label", o.Label, 100, true); err != nil {
					return err
				}
				if err := CheckLen(r+"value", o.Value, 100, true); err != nil {
					return err
				}
				if err := CheckLen(r+"description", o.Description, 100, false); err != nil {
					return err
				}
			}
		case *discordgo.TextInput:
			if !modal || len(row.Components) != 1 {
				return NewInvalid(q+"type", "COMPONENT_TYPE_INVALID", "Text inputs are only allowed in modals, one per row.")
			}
			if err := CheckLen(q+"custom_id", c.CustomID, 100, true); err != nil {
				return err
			}
			if err := CheckLen(q+"label", c.Label, 45, true); err != nil {
				return err
			}
			if err := CheckLen(q+"placeholder", c.Placeholder, 100, false); err != nil {
				return err
			}
			if err := CheckLen(q+"value", c.Value, 4000, false); err != nil {
				return err
			}
		default:
			return NewInvalid(q+"type", "COMPONENT_TYPE_INVALID", fmt.Sprintf("Component type %d is not allowed in an action row.", c.Type()))
		}
	}
	return nil
}

// checkCustomIDs: Discord refuses two components with one custom ID in a
// message or modal, since a click could not tell them apart.
func checkCustomIDs(field string, comps []discordgo.MessageComponent) *Invalid {
	seen := make(map[string]bool)
	var walk func([]discordgo.MessageComponent) *Invalid
	walk = func(cs []discordgo.MessageComponent) *Invalid {
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
				return TooLong(field+".custom_id", 100)
			}
			if seen[id] {
				return NewInvalid(field, "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated: "+id)
			}
			seen[id] = true
		}
		return nil
	}
	return walk(comps)
}

// CheckModal checks a modal response (type 9).
func CheckModal(md Payload) *Invalid {
	if err := CheckLen("data.title", md.Title, 45, true); err != nil {
		return err
	}
	if err := CheckLen("data.custom_id", md.CustomID, 100, true); err != nil {
		return err
	}
	if md.Components == nil || len(*md.Components) == 0 || len(*md.Components) > 5 {
		return NewInvalid("data.components", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")
	}
	for i, c := range *md.Components {
		p := fmt.Sprintf("data.components.%d", i)
		row, ok := c.(*discordgo.ActionsRow)
		if !ok {
			return NewInvalid(p, "UNION_TYPE_CHOICES", "Value of field \"type\" must be one of (1,).")
		}
		if err := checkRow(p, row, true); err != nil {
			return err
		}
	}
	return checkCustomIDs("data.components", *md.Components)
}

// CheckCommand checks Discord's naming rules, which localized names
// must follow too: slash command and option names are 1-32 lowercase
// letters, digits, - or _; descriptions 1-100 characters.
func CheckCommand(p string, c *discordgo.ApplicationCommand) *Invalid {
	slash := c.Type == 0 || c.Type == discordgo.ChatApplicationCommand
	if err := checkName(p+".name", c.Name, slash); err != nil {
		return err
	}
	if c.NameLocalizations != nil {
		for loc, n := range *c.NameLocalizations {
			if err := checkName(p+".name_localizations."+string(loc), n, slash); err != nil {
				return err
			}
		}
	}
	if slash {
		if err := checkDescription(p+".description", c.Description); err != nil {
			return err
		}
		if c.DescriptionLocalizations != nil {
			for loc, d := range *c.DescriptionLocalizations {
				if err := checkDescription(p+".description_localizations."+string(loc), d); err != nil {
					return err
				}
			}
		}
	}
	return validateOptions(p+".options", c.Options)
}

func validateOptions(p string, opts []*discordgo.ApplicationCommandOption) *Invalid {
	if len(opts) > 25 {
		return NewInvalid(p, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
	}
	for i, o := range opts {
		q := p + "." + strconv.Itoa(i)
		if err := checkName(q+".name", o.Name, true); err != nil {
			return err
		}
		for loc, n := range o.NameLocalizations {
			if err := checkName(q+".name_localizations."+string(loc), n, true); err != nil {
				return err
			}
		}
		if err := checkDescription(q+".description", o.Description); err != nil {
			return err
		}
		for loc, d := range o.DescriptionLocalizations {
			if err := checkDescription(q+".description_localizations."+string(loc), d); err != nil {
				return err
			}
		}
		if len(o.Choices) > 25 {
			return NewInvalid(q+".choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
		}
		for j, ch := range o.Choices {
			if err := CheckLen(q+".choices."+strconv.Itoa(j)+".name", ch.Name, 100, true); err != nil {
				return err
			}
		}
		if err := validateOptions(q+".options", o.Options); err != nil {
			return err
		}
	}
	return nil
}

func checkName(field, name string, slash bool) *Invalid {
	if n := utf8.RuneCountInString(name); n < 1 || n > 32 {
		return NewInvalid(field, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length.")
	}
	if !slash {
		return nil
	}
	for _, r := range name {
		if !(unicode.IsLetter(r) || unicode.IsNumber(r) || r == '-' || r == '_' || r == '\'') || unicode.ToLower(r) != r {
			return NewInvalid(field, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
		}
	}
	return nil
}

func checkDescription(field, d string) *Invalid {
	if n := utf8.RuneCountInString(d); n < 1 || n > 100 {
		return NewInvalid(field, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
	}
	return nil
}
