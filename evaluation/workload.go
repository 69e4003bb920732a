package evaluation

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/hierarchy"
	"github.com/gridgov/gridgov/rewards"
)

// RightAdmitTask is the right to admit a task into a community's list or withdraw it
// (社区工作事项准入): the district's, granted as data like every right.
const RightAdmitTask hierarchy.Right = "admit-community-task"

// Rules of workload control.
const (
	RuleWorkloadFunding   = "workload.funding"    // 费随事转: a task comes with its funding
	RuleWorkloadApprove   = "workload.approval"   // only the district admits a task
	RuleWorkloadDept      = "workload.department" // only a department requests or buys
	RuleWorkloadUnadmited = "workload.unadmitted" // an imposed item outside the list
	RuleWorkloadState     = "workload.state"
)

// Task is an admitted task (准入事项) of a community, with the funding that came with it
// (费随事转): Funding fen a year from FundingSource.
type Task struct {
	ID            string           `json:"id"`
	Name          string           `json:"name"`
	Department    hierarchy.UnitID `json:"department"`
	Funding       rewards.Fen      `json:"funding"`
	FundingSource string           `json:"funding_source"`
	Request       string           `json:"request"`
	ApprovedBy    hierarchy.Actor  `json:"approved_by"`
	ApprovedAt    time.Time        `json:"approved_at"`
	// WithdrawnAt is when the task left the list (退出); zero while it is admitted.
	WithdrawnAt time.Time       `json:"withdrawn_at,omitzero"`
	WithdrawnBy hierarchy.Actor `json:"withdrawn_by,omitzero"`
}

// PurchasedService is work outside the admitted list that a department buys as a
// service (政府购买服务) instead of handing it to the community.
type PurchasedService struct {
	ID         string           `json:"id"`
	Name       string           `json:"name"`
	Department hierarchy.UnitID `json:"department"`
	Price      rewards.Fen      `json:"price"`
	Provider   string           `json:"provider"`
	By         hierarchy.Actor  `json:"by"`
	At         time.Time        `json:"at"`
}

// Request states.
const (
	RequestPending  = "pending"
	RequestApproved = "approved"
	RequestRejected = "rejected"
)

// TaskRequest is a department's request to add a task to a community's list.
type TaskRequest struct {
	ID            string           `json:"id"`
	Task          string           `json:"task"`
	Name          string           `json:"name"`
	Department    hierarchy.UnitID `json:"department"`
	Funding       rewards.Fen      `json:"funding"`
	FundingSource string           `json:"funding_source"`
	By            hierarchy.Actor  `json:"by"`
	At            time.Time        `json:"at"`
	State         string           `json:"state"`
	DecidedBy     hierarchy.Actor  `json:"decided_by,omitzero"`
	DecidedAt     time.Time        `json:"decided_at,omitzero"`
	Reason        string           `json:"reason,omitempty"`
}

// CommunityList is one community's workload: admitted tasks, purchased services and
// requests, with their history (withdrawn tasks and decided requests stay listed).
// It is one stored aggregate per community.
type CommunityList struct {
	Community hierarchy.UnitID   `json:"community"`
	Tasks     []Task             `json:"tasks"`
	Services  []PurchasedService `json:"services"`
	Requests  []TaskRequest      `json:"requests"`
}

// Admitted reports whether task id is on the list (and not withdrawn).
func (l CommunityList) Admitted(id string) bool {
	return slices.ContainsFunc(l.Tasks, func(t Task) bool { return t.ID == id && t.WithdrawnAt.IsZero() })
}

// CheckImposed refuses a scorecard, rating or inspection imposed on the community
// that uses an item outside its admitted list, naming every such item.
func (l CommunityList) CheckImposed(what string, items []string) error {
	var bad []string
	for _, it := range items {
		if !l.Admitted(it) {
			bad = append(bad, it)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return &gridgov.Error{Op: "evaluation.CheckImposed", Kind: gridgov.ErrForbidden, Rule: RuleWorkloadUnadmited,
		Msg: fmt.Sprintf("%s imposed on %s uses items not admitted for it: %s", what, l.Community, strings.Join(bad, ", "))}
}

// ImposedItems lists the admitted items a card or rating rule imposes: every
// indicator's Item of an imposed card, a rating rule's Items.
func ImposedItems(c *Scorecard) []string {
	var out []string
	for _, in := range c.Indicators {
		if in.Item != "" && !slices.Contains(out, in.Item) {
			out = append(out, in.Item)
		}
	}
	return out
}

// departmentOf returns the department unit a post belongs to (the post's unit or the
// nearest department above it).
func departmentOf(tree *hierarchy.Tree, u hierarchy.UnitID) (hierarchy.UnitID, bool) {
	for x := u; x != ""; {
		if unit, ok := tree.Unit(x); ok && unit.Kind == hierarchy.KindDepartment {
			return x, true
		}
		p, ok := tree.Parent(x)
		if !ok {
			break
		}
		x = p
	}
	return "", false
}

func (s *Service) deptActor(op string, a hierarchy.Actor, now time.Time) (hierarchy.UnitID, error) {
	post, err := s.tree.ActorPost(a, now)
	if err != nil {
		return "", fmt.Errorf("%s: %w", op, err)
	}
	d, ok := departmentOf(s.tree, post.Unit)
	if !ok {
		return "", &gridgov.Error{Op: op, Kind: gridgov.ErrForbidden, Rule: RuleWorkloadDept, Msg: fmt.Sprintf("%s is not in a department", post.Unit)}
	}
	return d, nil
}

func (s *Service) community(op string, c hierarchy.UnitID) error {
	u, ok := s.tree.Unit(c)
	if !ok || u.Level != hierarchy.LevelCommunity {
		return &gridgov.Error{Op: op, Kind: gridgov.ErrInvalid, Rule: RuleUnknown, Msg: fmt.Sprintf("%q is not a community", c)}
	}
	return nil
}

// RequestTask files a department's request to add a task to a community's list. It
// must name its funding (费随事转): an amount above zero and its source.
func (s *Service) RequestTask(ctx context.Context, actor hierarchy.Actor, community hierarchy.UnitID, task, name string,
	funding rewards.Fen, source string) (TaskRequest, error) {
	const op = "evaluation.RequestTask"
	now := s.clock.Now()
	if err := s.community(op, community); err != nil {
		return TaskRequest{}, err
	}
	dept, err := s.deptActor(op, actor, now)
	if err != nil {
		return TaskRequest{}, err
	}
	if funding <= 0 || strings.TrimSpace(source) == "" {
		return TaskRequest{}, &gridgov.Error{Op: op, Kind: gridgov.ErrInvalid, Rule: RuleWorkloadFunding,
			Msg: fmt.Sprintf("task %q must name its funding (amount %s, source %q): the funding follows the task", task, funding, source)}
	}
	if task == "" {
		return TaskRequest{}, &gridgov.Error{Op: op, Kind: gridgov.ErrInvalid, Rule: RuleWorkloadState, Msg: "task ID is empty"}
	}
	id, err := s.ids.NewString(now)
	if err != nil {
		return TaskRequest{}, err
	}
	r := TaskRequest{ID: id, Task: task, Name: name, Department: dept, Funding: funding, FundingSource: source, By: actor, At: now, State: RequestPending}
	_, err = s.workload.Update(ctx, string(community), func(l CommunityList, _ bool) (CommunityList, error) {
		if l.Admitted(task) {
			return l, &gridgov.Error{Op: op, Kind: gridgov.ErrPrecondition, Rule: RuleWorkloadState, Msg: fmt.Sprintf("task %q is already admitted", task)}
		}
		l.Community = community
		l.Requests = append(slices.Clone(l.Requests), r)
		return l, nil
	})
	return r, err
}

// DecideTask approves or rejects a pending request. The actor must hold
// [RightAdmitTask] over the community now; an approval admits the task with its
// funding.
func (s *Service) DecideTask(ctx context.Context, actor hierarchy.Actor, community hierarchy.UnitID, request string, approve bool, reason string) (CommunityList, error) {
	const op = "evaluation.DecideTask"
	now := s.clock.Now()
	if err := s.approver(op, actor, community, now); err != nil {
		return CommunityList{}, err
	}
	v, err := s.workload.Update(ctx, string(community), func(l CommunityList, exists bool) (CommunityList, error) {
		i := slices.IndexFunc(l.Requests, func(r TaskRequest) bool { return r.ID == request })
		if !exists || i < 0 {
			return l, &gridgov.Error{Op: op, Kind: gridgov.ErrNotFound, Msg: fmt.Sprintf("no request %q for %s", request, community)}
		}
		if l.Requests[i].State != RequestPending {
			return l, &gridgov.Error{Op: op, Kind: gridgov.ErrPrecondition, Rule: RuleWorkloadState, Msg: fmt.Sprintf("request %s is %s", request, l.Requests[i].State)}
		}
		l.Requests = slices.Clone(l.Requests)
		r := &l.Requests[i]
		r.DecidedBy, r.DecidedAt, r.Reason = actor, now, reason
		r.State = RequestRejected
		if approve {
			r.State = RequestApproved
			l.Tasks = append(slices.Clone(l.Tasks), Task{ID: r.Task, Name: r.Name, Department: r.Department, Funding: r.Funding,
				FundingSource: r.FundingSource, Request: r.ID, ApprovedBy: actor, ApprovedAt: now})
		}
		return l, nil
	})
	return v.Value, err
}

// WithdrawTask takes a task off a community's list (退出); the actor must hold
// [RightAdmitTask] over the community.
func (s *Service) WithdrawTask(ctx context.Context, actor hierarchy.Actor, community hierarchy.UnitID, task string) (CommunityList, error) {
	const op = "evaluation.WithdrawTask"
	now := s.clock.Now()
	if err := s.approver(op, actor, community, now); err != nil {
		return CommunityList{}, err
	}
	v, err := s.workload.Update(ctx, string(community), func(l CommunityList, _ bool) (CommunityList, error) {
		i := slices.IndexFunc(l.Tasks, func(t Task) bool { return t.ID == task && t.WithdrawnAt.IsZero() })
		if i < 0 {
			return l, &gridgov.Error{Op: op, Kind: gridgov.ErrNotFound, Msg: fmt.Sprintf("task %q is not admitted for %s", task, community)}
		}
		l.Tasks = slices.Clone(l.Tasks)
		l.Tasks[i].WithdrawnAt, l.Tasks[i].WithdrawnBy = now, actor
		return l, nil
	})
	return v.Value, err
}

// BuyService records work outside the list bought as a service by a department: the
// only way such work reaches a community. An admitted task is not bought.
func (s *Service) BuyService(ctx context.Context, actor hierarchy.Actor, community hierarchy.UnitID, svc PurchasedService) (CommunityList, error) {
	const op = "evaluation.BuyService"
	now := s.clock.Now()
	if err := s.community(op, community); err != nil {
		return CommunityList{}, err
	}
	dept, err := s.deptActor(op, actor, now)
	if err != nil {
		return CommunityList{}, err
	}
	if svc.ID == "" || svc.Price <= 0 || strings.TrimSpace(svc.Provider) == "" {
		return CommunityList{}, &gridgov.Error{Op: op, Kind: gridgov.ErrInvalid, Rule: RuleWorkloadFunding,
			Msg: fmt.Sprintf("service %q must name its price (%s) and provider (%q)", svc.ID, svc.Price, svc.Provider)}
	}
	svc.Department, svc.By, svc.At = dept, actor, now
	v, err := s.workload.Update(ctx, string(community), func(l CommunityList, _ bool) (CommunityList, error) {
		if l.Admitted(svc.ID) {
			return l, &gridgov.Error{Op: op, Kind: gridgov.ErrPrecondition, Rule: RuleWorkloadState, Msg: fmt.Sprintf("%q is an admitted task, not a service", svc.ID)}
		}
		l.Community = community
		l.Services = append(slices.Clone(l.Services), svc)
		return l, nil
	})
	return v.Value, err
}

func (s *Service) approver(op string, actor hierarchy.Actor, community hierarchy.UnitID, now time.Time) error {
	if err := s.community(op, community); err != nil {
		return err
	}
	if _, err := s.tree.ActorPost(actor, now); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if !s.tree.HasRight(hierarchy.PersonRef(actor.Person), RightAdmitTask, hierarchy.UnitRef(community), now) {
		return &gridgov.Error{Op: op, Kind: gridgov.ErrForbidden, Rule: RuleWorkloadApprove,
			Msg: fmt.Sprintf("%s does not hold %s over %s", actor.Person, RightAdmitTask, community)}
	}
	return nil
}

// Workload returns a community's list (empty when nothing was ever requested).
func (s *Service) Workload(ctx context.Context, community hierarchy.UnitID) (CommunityList, error) {
	v, err := s.workload.Get(ctx, string(community))
	if err != nil && !errorsIsNotFound(err) {
		return CommunityList{}, err
	}
	if v.Value.Community == "" {
		v.Value.Community = community
	}
	return v.Value, nil
}

// WorkloadReport is the workload control report: admitted tasks per community,
// funding per task (summed over communities), and requests pending.
type WorkloadReport struct {
	TasksPerCommunity map[hierarchy.UnitID]int `json:"tasks_per_community"`
	FundingPerTask    map[string]rewards.Fen   `json:"funding_per_task"`
	Pending           []TaskRequest            `json:"pending"`
}

// WorkloadReport reads every community's list. Funding sums are checked: an overflow
// is an error, never a wrapped amount.
func (s *Service) WorkloadReport(ctx context.Context) (WorkloadReport, error) {
	rep := WorkloadReport{TasksPerCommunity: map[hierarchy.UnitID]int{}, FundingPerTask: map[string]rewards.Fen{}}
	for v, err := range s.workload.Scan(ctx, "", "") {
		if err != nil {
			return WorkloadReport{}, err
		}
		l := v.Value
		n := 0
		for _, t := range l.Tasks {
			if !t.WithdrawnAt.IsZero() {
				continue
			}
			n++
			sum := rep.FundingPerTask[t.ID] + t.Funding
			if sum < rep.FundingPerTask[t.ID] {
				return WorkloadReport{}, &gridgov.Error{Op: "evaluation.WorkloadReport", Kind: gridgov.ErrInvalid, Rule: RuleWorkloadFunding,
					Msg: fmt.Sprintf("funding of task %s overflows", t.ID)}
			}
			rep.FundingPerTask[t.ID] = sum
		}
		rep.TasksPerCommunity[l.Community] = n
		for _, r := range l.Requests {
			if r.State == RequestPending {
				rep.Pending = append(rep.Pending, r)
			}
		}
	}
	return rep, nil
}
