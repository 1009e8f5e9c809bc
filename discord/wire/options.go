package wire

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// What Discord's client lets a person type.
const (
	// maxStringOption is the longest string option value.
	maxStringOption = 6000
	// maxSafeInteger bounds integer options (JavaScript's safe integers).
	maxSafeInteger = 1<<53 - 1
)

// Invocation is what a person typed for a slash command: the path of
// names to the command that runs (the command, then a subcommand group
// or subcommand, then a subcommand), and each option's text by its base
// name. Focused names the option being typed, for autocomplete: its text
// may be partial, and it need not be valid yet.
type Invocation struct {
	Path    []string
	Options map[string]string
	Focused string
}

// Exists says whether a user, channel or role ID names something in the
// guild, for options of those types.
type Exists func(t discordgo.ApplicationCommandOptionType, id string) bool

// CommandData checks an invocation against the registered command as
// Discord's client does before it sends anything (known names, required
// options, types, lengths, ranges, choices) and returns the interaction's
// data, each value typed as Discord sends it.
func CommandData(cmd *discordgo.ApplicationCommand, in Invocation, exists Exists) (discordgo.ApplicationCommandInteractionData, *Invalid) {
	data := discordgo.ApplicationCommandInteractionData{ID: cmd.ID, Name: cmd.Name, CommandType: discordgo.ChatApplicationCommand}
	if len(in.Path) == 0 || in.Path[0] != cmd.Name {
		return data, NewInvalid("name", "UNKNOWN_COMMAND", "Unknown command")
	}
	opts := cmd.Options
	list := &data.Options
	for depth, name := range in.Path[1:] {
		var sub *discordgo.ApplicationCommandOption
		for _, o := range opts {
			if o.Name == name && (o.Type == discordgo.ApplicationCommandOptionSubCommand || o.Type == discordgo.ApplicationCommandOptionSubCommandGroup) {
				sub = o
			}
		}
		if sub == nil {
			return data, NewInvalid("options."+strconv.Itoa(depth), "UNKNOWN_SUBCOMMAND", "Unknown subcommand "+name)
		}
		d := &discordgo.ApplicationCommandInteractionDataOption{Name: sub.Name, Type: sub.Type}
		*list = append(*list, d)
		list = &d.Options
		opts = sub.Options
	}
	for _, o := range opts {
		if o.Type == discordgo.ApplicationCommandOptionSubCommand || o.Type == discordgo.ApplicationCommandOptionSubCommandGroup {
			return data, NewInvalid("options", "SUBCOMMAND_REQUIRED", "Choose a subcommand of "+strings.Join(in.Path, " "))
		}
	}
	for name := range in.Options {
		if !slices.ContainsFunc(opts, func(o *discordgo.ApplicationCommandOption) bool { return o.Name == name }) {
			return data, NewInvalid("options."+name, "UNKNOWN_OPTION", "Unknown option "+name)
		}
	}
	for _, o := range opts {
		text, given := in.Options[o.Name]
		if o.Name == in.Focused {
			*list = append(*list, &discordgo.ApplicationCommandInteractionDataOption{Name: o.Name, Type: o.Type, Value: text, Focused: true})
			continue
		}
		if !given || text == "" {
			if o.Required && in.Focused == "" {
				return data, NewInvalid("options."+o.Name, "BASE_TYPE_REQUIRED", "This field is required")
			}
			continue
		}
		v, err := optionValue(o, text, exists)
		if err != nil {
			return data, err
		}
		*list = append(*list, &discordgo.ApplicationCommandInteractionDataOption{Name: o.Name, Type: o.Type, Value: v})
	}
	return data, nil
}

// optionValue types what was typed for the option, or says why Discord's
// client would not send it.
func optionValue(o *discordgo.ApplicationCommandOption, text string, exists Exists) (any, *Invalid) {
	field := "options." + o.Name
	var v any
	switch o.Type {
	case discordgo.ApplicationCommandOptionString:
		if err := CheckLen(field, text, maxStringOption, true); err != nil {
			return nil, err
		}
		n := utf8.RuneCountInString(text)
		if o.MaxLength > 0 && n > o.MaxLength {
			return nil, TooLong(field, o.MaxLength)
		}
		if o.MinLength != nil && n < *o.MinLength {
			return nil, NewInvalid(field, "BASE_TYPE_MIN_LENGTH", "Must be "+strconv.Itoa(*o.MinLength)+" or more in length.")
		}
		v = text
	case discordgo.ApplicationCommandOptionInteger:
		n, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64)
		if err != nil || n > maxSafeInteger || n < -maxSafeInteger {
			return nil, NewInvalid(field, "INTEGER_TYPE_INVALID", "Value \""+text+"\" is not an integer.")
		}
		if err := checkRange(field, o, float64(n)); err != nil {
			return nil, err
		}
		v = float64(n) // as discordgo decodes a JSON number
	case discordgo.ApplicationCommandOptionNumber:
		f, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, NewInvalid(field, "NUMBER_TYPE_INVALID", "Value \""+text+"\" is not a number.")
		}
		if err := checkRange(field, o, f); err != nil {
			return nil, err
		}
		v = f
	case discordgo.ApplicationCommandOptionBoolean:
		b, err := strconv.ParseBool(strings.TrimSpace(text))
		if err != nil {
			return nil, NewInvalid(field, "BOOLEAN_TYPE_INVALID", "Value \""+text+"\" is not true or false.")
		}
		v = b
	case discordgo.ApplicationCommandOptionUser, discordgo.ApplicationCommandOptionChannel,
		discordgo.ApplicationCommandOptionRole, discordgo.ApplicationCommandOptionMentionable:
		id := strings.TrimSpace(text)
		if exists == nil || !exists(o.Type, id) {
			return nil, NewInvalid(field, "SNOWFLAKE_INVALID", "Value \""+text+"\" is not one of the server's.")
		}
		v = id
	default:
		return nil, NewInvalid(field, "OPTION_TYPE_INVALID", "Option type "+strconv.Itoa(int(o.Type))+" cannot be typed.")
	}
	if len(o.Choices) > 0 && !slices.ContainsFunc(o.Choices, func(c *discordgo.ApplicationCommandOptionChoice) bool {
		return choiceText(c.Value) == text
	}) {
		return nil, NewInvalid(field, "BASE_TYPE_CHOICES", "Value \""+text+"\" is not a valid choice.")
	}
	return v, nil
}

func checkRange(field string, o *discordgo.ApplicationCommandOption, f float64) *Invalid {
	if o.MinValue != nil && f < *o.MinValue {
		return NewInvalid(field, "NUMBER_TYPE_MIN", "Must be at least "+strconv.FormatFloat(*o.MinValue, 'f', -1, 64)+".")
	}
	if o.MaxValue != 0 && f > o.MaxValue {
		return NewInvalid(field, "NUMBER_TYPE_MAX", "Must be at most "+strconv.FormatFloat(o.MaxValue, 'f', -1, 64)+".")
	}
	return nil
}

// choiceText is a choice's value as a person picks it.
func choiceText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return ""
}

// ModalSubmitData checks what a person typed in a modal against the modal
// the bot sent (every text input, and only those; required inputs filled;
// the minimum and maximum lengths, or Discord's 4000) and returns the
// interaction's data.
func ModalSubmitData(modal *discordgo.InteractionResponseData, values map[string]string) (discordgo.ModalSubmitInteractionData, *Invalid) {
	data := discordgo.ModalSubmitInteractionData{CustomID: modal.CustomID}
	seen := 0
	for _, c := range modal.Components {
		row, ok := c.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, c := range row.Components {
			ti, ok := c.(*discordgo.TextInput)
			if !ok {
				continue
			}
			v, given := values[ti.CustomID]
			if given {
				seen++
			}
			field := "components." + ti.CustomID
			n := utf8.RuneCountInString(v)
			max := 4000
			if ti.MaxLength > 0 {
				max = ti.MaxLength
			}
			switch {
			case ti.Required && strings.TrimSpace(v) == "":
				return data, NewInvalid(field, "BASE_TYPE_REQUIRED", "This field is required")
			case n > max:
				return data, TooLong(field, max)
			case n > 0 && n < ti.MinLength:
				return data, NewInvalid(field, "BASE_TYPE_MIN_LENGTH", "Must be "+strconv.Itoa(ti.MinLength)+" or more in length.")
			}
			data.Components = append(data.Components, &discordgo.ActionsRow{Components: []discordgo.MessageComponent{
				&discordgo.TextInput{CustomID: ti.CustomID, Value: v},
			}})
		}
	}
	if seen != len(values) {
		return data, NewInvalid("components", "UNKNOWN_COMPONENT", "A value was given for an input the form does not have.")
	}
	return data, nil
}
