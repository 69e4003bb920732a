package identity_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"os"

	"github.com/gridgov/gridgov/identity"
)

func Example() {
	id, err := identity.ParseResidentID("11010519491231002X")
	if err != nil {
		panic(err)
	}
	phone, _ := identity.ParsePhone("+86 138 1234 5678")

	fmt.Println(id, phone)
	fmt.Printf("%+v\n", struct {
		ID    identity.ResidentID
		Phone identity.Phone
	}{id, phone})
	b, _ := json.Marshal(map[string]any{"id": id, "phone": phone})
	fmt.Println(string(b))

	log := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // keep the example's output stable
			}
			return a
		},
	}))
	log.Info("party registered", "id", id, "phone", phone)

	fmt.Println(id.BirthDate().Format("2006-01-02"), id.Male(), id.Reveal())
	// Output:
	// 110105********002X 138****5678
	// {ID:110105********002X Phone:138****5678}
	// {"id":"110105********002X","phone":"138****5678"}
	// level=INFO msg="party registered" id=110105********002X phone=138****5678
	// 1949-12-31 false 11010519491231002X
}

func ExampleParseCreditCode() {
	code, err := identity.ParseCreditCode("91350100M000100Y43")
	fmt.Println(code, code.Area(), err)
	_, err = identity.ParseCreditCode("91350100M000100Y44")
	fmt.Println(err)
	// Output:
	// 91350100M000100Y43 350100 <nil>
	// identity: credit code "91350100M000100Y44": check character must be 3: gridgov: invalid
}
