package sim

import (
	"strings"
	"testing"

	"github.com/gridgov/gridgov/store/memstore"
)

// TestLaneOf checks which lane runs each kind of step: a police matter's case steps
// in the police lane, its claim and approval in the rewards lane.
func TestLaneOf(t *testing.T) {
	police := &script{Stream: streamPolice, Steps: []step{{Op: opReport}, {Op: opClose}, {Op: opClaim}, {Op: opApprove}}}
	for i, want := range []int{lanePolice, lanePolice, laneRewards, laneRewards} {
		police.Next = i
		if got := laneOf(police); got != want {
			t.Errorf("police step %d (%s): lane %s, want %s", i, police.Steps[i].Op, laneNames[got], laneNames[want])
		}
	}
	for _, tc := range []struct {
		s    *script
		want int
	}{
		{&script{Stream: streamEpidemic, Steps: []step{{Op: opReport}}}, lanePolice},
		{&script{Stream: streamEvents, Steps: []step{{Op: opWhistle}}}, laneEvents},
		{&script{Stream: streamEvents, Steps: []step{{Op: opRate}}}, laneEvents},
		{&script{Stream: streamFunds, Steps: []step{{Op: opSettle}}}, laneRewards},
		{&script{Stream: streamDispute, Steps: []step{{Op: opOpen}}}, laneEvents},
		{&script{Stream: streamSecondees, Steps: []step{{Op: opReverseRate}}}, laneEvents},
	} {
		if got := laneOf(tc.s); got != tc.want {
			t.Errorf("%s %s: lane %s, want %s", tc.s.Stream, tc.s.Steps[0].Op, laneNames[got], laneNames[tc.want])
		}
	}
}

// TestHandOver_RefusesLaneNotBehind checks that a script is never handed to a lane
// that does not run behind the one handing it over: that lane may already have
// simulated the day of the script's next step, or be simulating it at this moment.
func TestHandOver_RefusesLaneNotBehind(t *testing.T) {
	_, d := qinhuai(t)
	r, err := newRunner(t.Context(), d, memstore.New(), 1, 2025)
	if err != nil {
		t.Fatal(err)
	}
	back := &script{Stream: streamPolice, Steps: []step{{Op: opApprove}, {Op: opClose}}, Next: 1}
	r.lanes[laneRewards].out = append(r.lanes[laneRewards].out, back)
	err = r.handOver()
	if err == nil || !strings.Contains(err.Error(), "lane rewards hands it to lane police") {
		t.Fatalf("handOver of a rewards script back to the police lane = %v, want a refusal naming both lanes", err)
	}
	if len(r.lanes[lanePolice].ag) != 0 {
		t.Errorf("the refused script reached the police lane's agenda")
	}
	ahead := &script{Stream: streamPolice, Steps: []step{{Op: opClose}, {Op: opClaim}}, Next: 1}
	r.lanes[lanePolice].out = append(r.lanes[lanePolice].out[:0], ahead)
	r.lanes[laneRewards].out = r.lanes[laneRewards].out[:0]
	if err := r.handOver(); err != nil {
		t.Fatalf("handOver of a claim to the rewards lane = %v", err)
	}
	if len(r.lanes[laneRewards].ag) != 1 || r.lanes[laneRewards].ag.peek() != ahead {
		t.Errorf("the claim did not reach the rewards lane's agenda")
	}
}
