package wire

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
)

// File is an uploaded file.
type File struct {
	Name        string
	ContentType string
	Data        []byte
}

// ReadBody reads a REST request's JSON body, or a multipart one as
// discordgo sends with files: the payload_json part and files[n] parts.
func ReadBody(r *http.Request) (body []byte, files []File, err error) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, nil, err
	}
	ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "multipart/form-data" {
		return b, nil, nil
	}
	mr := multipart.NewReader(bytes.NewReader(b), params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return body, files, nil
		}
		if err != nil {
			return body, files, err
		}
		data, err := io.ReadAll(p)
		if err != nil {
			return body, files, err
		}
		switch {
		case p.FormName() == "payload_json":
			body = data
		case p.FileName() != "":
			files = append(files, File{Name: p.FileName(), ContentType: p.Header.Get("Content-Type"), Data: data})
		}
	}
}
