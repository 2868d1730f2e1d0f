package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// leafData rebuilds an event's leaf bytes, the RFC 8785 canonical JSON of docs/audit-log-format.md's
// leaf v1 or v2, with Go's encoding/json: it sorts map keys by their bytes, which is RFC 8785's
// UTF-16 order for ASCII names, and with SetEscapeHTML(false) it escapes nothing else in printable
// ASCII. That agreement holds only for printable ASCII strings and integers (Go escapes some
// control and non-ASCII characters differently and prints other numbers in another form), so this
// verifier refuses any leaf outside that subset rather than hash bytes RFC 8785 would not produce.
func leafData(e event) ([]byte, error) {
	data, err := decodeData(e.Data)
	if err != nil {
		return nil, err
	}
	leaf := map[string]interface{}{"type": e.Type, "data": data}
	switch e.LeafVersion {
	case 1:
	case 2:
		leaf["v"] = 2
		leaf["id"] = e.ID
		leaf["stream"] = e.StreamID
		leaf["revision"] = e.Revision
		if e.Previous == nil {
			leaf["previous"] = nil
		} else {
			leaf["previous"] = *e.Previous
		}
	default:
		return nil, fmt.Errorf("leafVersion %d is neither 1 nor 2", e.LeafVersion)
	}
	if err := checkSubset(leaf, "$"); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	encoder := json.NewEncoder(&out)
	encoder.SetEscapeHTML(false)
	if err := encoder.Encode(leaf); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(out.Bytes(), []byte("\n")), nil
}

// decodeData reads the payload keeping numbers as their literal text; an absent payload is null.
func decodeData(raw json.RawMessage) (interface{}, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	decoder := json.NewDecoder(bytes.NewReader(raw))
	decoder.UseNumber()
	var data interface{}
	if err := decoder.Decode(&data); err != nil {
		return nil, fmt.Errorf("data: %v", err)
	}
	return data, nil
}

// checkSubset refuses values whose canonical form this verifier cannot produce (see leafData).
func checkSubset(value interface{}, path string) error {
	switch v := value.(type) {
	case nil, bool, int, int64:
		return nil
	case string:
		return checkASCII(v, path)
	case json.Number:
		if strings.ContainsAny(string(v), ".eE") || strings.HasPrefix(string(v), "-0") || len(strings.TrimPrefix(string(v), "-")) > 15 {
			return fmt.Errorf("%s: number %s is outside this verifier's subset (integers below 10^15)", path, v)
		}
		return nil
	case []interface{}:
		for i, item := range v {
			if err := checkSubset(item, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		return nil
	case map[string]interface{}:
		for name, item := range v {
			if err := checkASCII(name, path+" member name"); err != nil {
				return err
			}
			if err := checkSubset(item, path+"."+name); err != nil {
				return err
			}
		}
		return nil
	default:
		return fmt.Errorf("%s: unexpected %T", path, value)
	}
}

func checkASCII(s, path string) error {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return fmt.Errorf("%s: byte 0x%02x is outside this verifier's subset (printable ASCII)", path, s[i])
		}
	}
	return nil
}
