package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
)

// Users: search, one user's profile, roles, accounts and referring agent.

func (p *Panel) users(w http.ResponseWriter, r *request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	list, err := p.svc.SearchUsers(r.Context(), q, 200)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	var refs []cambista.UserID
	for _, u := range list {
		refs = append(refs, u.ReferrerID)
	}
	p.names(r, refs...)
	p.show(w, r, http.StatusOK, "users", "users", struct {
		Query string
		Users []*cambista.User
	}{q, list})
}

type userData struct {
	User     *cambista.User
	Accounts []app.AccountView
	Roles    []cambista.Role // the restricted ones, to give or take away
	Types    []cambista.UserType
}

func (p *Panel) user(w http.ResponseWriter, r *request) {
	ctx := r.Context()
	id := cambista.UserID(r.PathValue("id"))
	var d userData
	var err error
	if d.User, err = p.svc.User(ctx, id); err == nil {
		d.Accounts, err = p.svc.Accounts(ctx, id)
	}
	if err != nil {
		p.fail(w, r, err)
		return
	}
	d.Types = []cambista.UserType{cambista.UserTypeClient, cambista.UserTypeAgent}
	for _, role := range cambista.Roles {
		if role.Restricted() {
			d.Roles = append(d.Roles, role)
		}
	}
	p.names(r, d.User.ID, d.User.ReferrerID)
	p.show(w, r, http.StatusOK, "user", "users", d)
}

func userURL(id cambista.UserID) string { return "/users/" + url.PathEscape(string(id)) }

func (p *Panel) saveProfile(w http.ResponseWriter, r *request) {
	id := cambista.UserID(r.PathValue("id"))
	country, locale := strings.TrimSpace(r.PostFormValue("country")), r.PostFormValue("locale")
	typ := cambista.UserType(r.PostFormValue("type"))
	_, err := p.svc.UpdateProfile(r.Context(), r.PostFormValue(keyField), app.Profile{UserID: id, Country: &country, Type: &typ, Locale: &locale})
	if err != nil {
		p.refuse(w, r, err, userURL(id))
		return
	}
	p.done(w, r, userURL(id), MsgProfileSaved.Msg("User", string(id)))
}

func (p *Panel) changeRole(w http.ResponseWriter, r *request) {
	id := cambista.UserID(r.PathValue("id"))
	role, err := cambista.ParseRole(r.PostFormValue("role"))
	grant := r.PostFormValue("grant") == "true"
	if err == nil && role == cambista.RoleSuperuser && !grant {
		p.names(r, id)
		if !p.confirmed(w, r, userURL(id), MsgConfirmUnsuper.Msg("User", r.view.NameOf(id))) {
			return
		}
	}
	if err == nil {
		in := app.RoleChange{UserID: id, Role: role}
		if grant {
			_, err = p.svc.AssignRole(r.Context(), r.PostFormValue(keyField), in)
		} else {
			_, err = p.svc.RemoveRole(r.Context(), r.PostFormValue(keyField), in)
		}
	}
	if err != nil {
		p.refuse(w, r, err, userURL(id))
		return
	}
	p.done(w, r, userURL(id), MsgRoleChanged.Msg("User", string(id), "Role", role.String(), "Granted", grant))
}

func (p *Panel) setReferrer(w http.ResponseWriter, r *request) {
	id := cambista.UserID(r.PathValue("id"))
	agent := cambista.UserID(strings.TrimSpace(r.PostFormValue("agent")))
	if _, err := p.svc.SetReferrer(r.Context(), r.PostFormValue(keyField), app.Referral{ClientID: id, AgentID: agent}); err != nil {
		p.refuse(w, r, err, userURL(id))
		return
	}
	p.done(w, r, userURL(id), MsgReferrerSet.Msg("User", string(id), "Agent", string(agent)))
}

// freezeAccount freezes or unfreezes an account, back on its owner's page.
func (p *Panel) freezeAccount(w http.ResponseWriter, r *request) {
	id, err := pathID(r)
	var a *cambista.Account
	frozen := r.PostFormValue("frozen") == "true"
	if err == nil {
		a, err = p.svc.SetAccountFrozen(r.Context(), r.PostFormValue(keyField),
			app.SetAccountFrozen{ID: id, Frozen: frozen, Reason: strings.TrimSpace(r.PostFormValue("reason"))})
	}
	if err != nil {
		back := r.PostFormValue("user")
		if back == "" {
			p.fail(w, r, err)
			return
		}
		p.refuse(w, r, err, userURL(cambista.UserID(back)))
		return
	}
	p.done(w, r, userURL(a.UserID), MsgAccountFrozen.Msg("ID", a.ID, "Currency", a.Currency, "Frozen", frozen))
}
