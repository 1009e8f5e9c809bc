package store

import (
	"context"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
)

const countryColumns = `code, name, currency, enabled`

func scanCountry(sc scanner) (*cambista.Country, error) {
	var c cambista.Country
	return &c, sc.Scan(&c.Code, &c.Name, &c.Currency, &c.Enabled)
}

func (t *tx) CreateCountry(ctx context.Context, c *cambista.Country) error {
	_, err := t.exec(ctx, `INSERT INTO countries (`+countryColumns+`, created_at) VALUES ($1, $2, $3, $4, $5)`,
		c.Code, c.Name, c.Currency, c.Enabled, cambista.Micros(t.now))
	if uniqueViolation(err) {
		return exists("country", c.Code)
	}
	return err
}

func (t *tx) Country(ctx context.Context, code string) (*cambista.Country, error) {
	c, err := scanCountry(t.row(ctx, `SELECT `+countryColumns+` FROM countries WHERE code = $1`, code))
	if err != nil {
		return nil, one(err, "country", code)
	}
	return c, nil
}

func (t *tx) UpdateCountry(ctx context.Context, c *cambista.Country) error {
	res, err := t.exec(ctx, `UPDATE countries SET name = $2, currency = $3, enabled = $4 WHERE code = $1`,
		c.Code, c.Name, c.Currency, c.Enabled)
	return affected(res, err, "country", c.Code)
}

func (t *tx) Countries(ctx context.Context) ([]*cambista.Country, error) {
	return read[[]*cambista.Country](ctx, t, app.CountriesRead())
}
