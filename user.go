package cambista

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// UserType says whether a user is a plain client or an agent who brings
// clients and earns commissions and bonuses.
type UserType string

const (
	UserTypeClient UserType = "client"
	UserTypeAgent  UserType = "agent"
)

// Validate returns EINVALID unless t is a known user type.
func (t UserType) Validate() error {
	if t == UserTypeClient || t == UserTypeAgent {
		return nil
	}
	return Errorf(EINVALID, MsgBadUserType.Msg("Input", string(t)))
}

// UserStatus: a frozen user may read but not act.
type UserStatus string

const (
	UserActive UserStatus = "active"
	UserFrozen UserStatus = "frozen"
)

// Locales a person can read cambista in.
const (
	LocaleES = "es"
	LocaleEN = "en"
)

// User is a Discord member known to cambista.
type User struct {
	ID          UserID
	DisplayName string
	Phone       string
	Country     string // country code, "" until chosen
	Type        UserType
	Status      UserStatus
	Locale      string // "es" or "en"
	ReferrerID  UserID // referring agent, "" if none
	InviteCode  string // an agent's code that clients use to link to them
	Roles       RoleSet
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Validate checks the fields a person fills in.
func (u *User) Validate() error {
	if err := ValidateUserID(u.ID); err != nil {
		return err
	}
	name := strings.TrimSpace(u.DisplayName)
	if name == "" || utf8.RuneCountInString(name) > 80 {
		return Errorf(EINVALID, MsgBadDisplayName.Msg())
	}
	if err := ValidateText("display name", name, false); err != nil {
		return err
	}
	if err := ValidateText("phone", u.Phone, false); err != nil {
		return err
	}
	if err := u.Type.Validate(); err != nil {
		return err
	}
	if u.Locale != LocaleES && u.Locale != LocaleEN {
		return Errorf(EINVALID, MsgBadLocale.Msg("Input", u.Locale))
	}
	if u.Country != "" {
		if err := ValidateCountryCode(u.Country); err != nil {
			return err
		}
	}
	if len(u.Phone) > 32 {
		return Errorf(EINVALID, MsgBadPhone.Msg())
	}
	return nil
}

// ValidateUserID accepts a Discord snowflake: 1 to 20 decimal digits.
func ValidateUserID(id UserID) error {
	if len(id) == 0 || len(id) > 20 {
		return Errorf(EINVALID, MsgBadUserID.Msg("Input", string(id)))
	}
	for _, c := range id {
		if c < '0' || c > '9' {
			return Errorf(EINVALID, MsgBadUserID.Msg("Input", string(id)))
		}
	}
	return nil
}

// UserStore keeps users.
type UserStore interface {
	// CreateUser inserts u with its roles; ECONFLICT if the ID is taken.
	CreateUser(ctx context.Context, u *User) error
	// User returns a user with its roles; ENOTFOUND.
	User(ctx context.Context, id UserID) (*User, error)
	// UpdateUser writes u's profile, status and roles; ENOTFOUND.
	UpdateUser(ctx context.Context, u *User) error
	// Users lists users matching the filter, newest first.
	Users(ctx context.Context, f UserFilter) ([]*User, error)
	// UserByInviteCode returns the agent who owns the code; ENOTFOUND.
	UserByInviteCode(ctx context.Context, code string) (*User, error)
}

// UserFilter selects users.
type UserFilter struct {
	Search string // matches ID or display name
	Role   Role   // 0 for any
	Limit  int
}
