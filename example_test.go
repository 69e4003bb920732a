package gridgov_test

import (
	"fmt"
	"log"
	"os"
	"time"

	"github.com/gridgov/gridgov/calendar"
	"github.com/gridgov/gridgov/hierarchy"
)

// The quick start of README.md, kept compiling and correct here.
func Example_quickStart() {
	f, _ := os.Open("testdata/qinhuai-divisions.csv") // code,name,level,parent_code
	defer f.Close()
	b, err := hierarchy.LoadDivisionsCSV(f, hierarchy.QinhuaiSchema())
	if err != nil {
		log.Fatal(err) // every problem, each naming its line
	}
	b.AddPartyOrgs() // 街道党工委, 社区党委, … beside each territorial unit
	for _, g := range hierarchy.QinhuaiGrants("320104") {
		b.AddGrant(g) // e.g. communities reverse-evaluate who is seconded to them
	}
	tree, err := b.Build() // an immutable snapshot, safe for concurrent use
	if err != nil {
		log.Fatal(err)
	}
	c, _ := tree.ByCode("320104001001")                       // 中牌楼社区
	street, _ := tree.AncestorAt(c.ID, hierarchy.LevelStreet) // 秦虹街道

	cal := calendar.Default() // Asia/Shanghai, office hours, holidays and 调休
	filed := time.Date(2025, 9, 26, 10, 0, 0, 0, cal.Location())
	fmt.Println(street, cal.AddDays(filed, 3)) // due Tue 30 Sep: Sun 28 Sep was worked
	// Output: 320104001 2025-09-30 17:30:00 +0800 CST
}
