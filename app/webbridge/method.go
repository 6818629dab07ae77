package webbridge

import (
	"encoding"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"runtime/debug"
	"strings"
)

// method is one bound Go method, callable by its window.go name.
type method struct {
	name     string         // "app.ReviewService.Open"
	fn       reflect.Value  // bound to its receiver
	in       []reflect.Type // parameter types; the last is a slice when variadic
	variadic bool
	out      []reflect.Type
}

var (
	errorType           = reflect.TypeFor[error]()
	jsonUnmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// bindValue returns the methods of v, named as Wails names them: the package
// name and type name from the type's String (so *app.ReviewService gives
// "app.ReviewService"), with generic brackets normalised the way Wails does.
func bindValue(v any) ([]*method, error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return nil, fmt.Errorf("%w: got %T", ErrNotStructPointer, v)
	}
	typ := rv.Type()
	structName := typ.Elem().Name()
	pkg := strings.TrimSuffix(typ.Elem().String(), "."+structName)
	prefix := pkg + "." + normalizeStructName(structName) + "."

	methods := make([]*method, 0, typ.NumMethod())
	for i := range typ.NumMethod() {
		m := typ.Method(i)
		fn := rv.Method(i)
		ft := fn.Type()
		bm := &method{name: prefix + m.Name, fn: fn, variadic: ft.IsVariadic()}
		for j := range ft.NumIn() {
			in := ft.In(j)
			if err := decodable(in, map[reflect.Type]bool{}); err != nil {
				return nil, fmt.Errorf("%w: %s argument %d (%s): %v", ErrNotDecodable, bm.name, j+1, in, err)
			}
			bm.in = append(bm.in, in)
		}
		for j := range ft.NumOut() {
			bm.out = append(bm.out, ft.Out(j))
		}
		methods = append(methods, bm)
	}
	return methods, nil
}

// normalizeStructName mirrors Wails' binding names for generic types.
func normalizeStructName(name string) string {
	return strings.NewReplacer(",", "-", "*", "", "]", "__", "[", "__").Replace(name)
}

// decodable reports why encoding/json cannot decode into a value of type t,
// or nil when it can. seen stops recursion through self-referencing types.
func decodable(t reflect.Type, seen map[reflect.Type]bool) error {
	if seen[t] {
		return nil
	}
	seen[t] = true
	if t.Implements(jsonUnmarshalerType) || reflect.PointerTo(t).Implements(jsonUnmarshalerType) ||
		t.Implements(textUnmarshalerType) || reflect.PointerTo(t).Implements(textUnmarshalerType) {
		return nil
	}
	switch t.Kind() {
	case reflect.Bool, reflect.String,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		return nil
	case reflect.Interface:
		if t.NumMethod() == 0 {
			return nil
		}
		return fmt.Errorf("%s is an interface with methods", t)
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return decodable(t.Elem(), seen)
	case reflect.Map:
		k := t.Key()
		switch k.Kind() {
		case reflect.String,
			reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		default:
			if !reflect.PointerTo(k).Implements(textUnmarshalerType) {
				return fmt.Errorf("map key %s", k)
			}
		}
		return decodable(t.Elem(), seen)
	case reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() && !f.Anonymous {
				continue
			}
			if f.Tag.Get("json") == "-" {
				continue
			}
			if err := decodable(f.Type, seen); err != nil {
				return fmt.Errorf("field %s: %w", f.Name, err)
			}
		}
		return nil
	default: // chan, func, complex, unsafe.Pointer
		return fmt.Errorf("%s", t)
	}
}

// call decodes args into the parameter types and calls the method. The
// error's message is what the page's promise rejects with: Wails' wording
// for a wrong argument count, the JSON error for a wrong argument type, and
// "NAME panicked: VALUE" for a panic, which is recovered.
func (m *method) call(args []json.RawMessage) (result any, err error) {
	if len(args) != len(m.in) {
		return nil, fmt.Errorf("error parsing arguments: received %d arguments to method '%s', expected %d", len(args), m.name, len(m.in))
	}
	in := make([]reflect.Value, len(args))
	for i, raw := range args {
		v := reflect.New(m.in[i]) // JSON null leaves the zero value, as in Wails
		if err := json.Unmarshal(raw, v.Interface()); err != nil {
			return nil, fmt.Errorf("error parsing arguments: argument %d of %s: %v", i+1, m.name, err)
		}
		in[i] = v.Elem()
	}

	defer func() {
		if r := recover(); r != nil {
			slog.Error("webbridge: bound method panicked", "method", m.name, "panic", r, "stack", string(debug.Stack()))
			result, err = nil, fmt.Errorf("%s panicked: %v", m.name, r)
		}
	}()
	var out []reflect.Value
	if m.variadic {
		out = m.fn.CallSlice(in)
	} else {
		out = m.fn.Call(in)
	}
	return results(out)
}

// results turns a method's return values into what the page receives, as
// Wails does: no value resolves null; one value rejects when it is a
// non-nil error and resolves with it otherwise; two values resolve with the
// first unless the second is a non-nil error; more than two resolve null.
func results(out []reflect.Value) (any, error) {
	switch len(out) {
	case 1:
		if err, ok := asError(out[0]); ok {
			return nil, err
		}
		if out[0].Type().Implements(errorType) {
			return nil, nil // a nil error
		}
		return out[0].Interface(), nil
	case 2:
		if err, ok := asError(out[1]); ok {
			return nil, err
		}
		return out[0].Interface(), nil
	default:
		return nil, nil
	}
}

// asError returns v as an error when its type is one and it is not nil.
func asError(v reflect.Value) (error, bool) {
	if !v.Type().Implements(errorType) {
		return nil, false
	}
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan:
		if v.IsNil() {
			return nil, false
		}
	}
	err, ok := v.Interface().(error)
	return err, ok
}
