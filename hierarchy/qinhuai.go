package hierarchy

// QinhuaiGrants returns the rights Qinhuai's reform sent down (赋权), as grants held
// under the district unit district, valid without end:
//
//   - every street holds six powers over the district departments and the people posted
//     in them (街道六权). The report names the right to be informed (知情权) and to advise
//     (建议权); the other four — participation, coordination, appraisal and personnel
//     advice, as in other districts' lists — are defaults a district edits as data;
//   - every street may summon district departments to report in (吹哨报到);
//   - every community may reverse-evaluate (反向评价权) the units and people seconded to
//     it or to a unit below it, while the secondment is in force. The report says the
//     communities gained six powers; it names only this one;
//   - the unit a secondment names for appraisal (the street, for the enforcement officers
//     sent down) may appraise the secondee while the secondment is in force.
//
// Grant IDs start with "qinhuai/", so a change set can end or replace each.
func QinhuaiGrants(district UnitID) []Grant {
	holder := UnitRef(district)
	var gs []Grant
	for _, r := range []Right{RightBeInformed, RightAdvise, RightParticipate, RightCoordinate, RightAppraise, RightPersonnelAdvise} {
		gs = append(gs, Grant{ID: "qinhuai/street-" + string(r), Right: r, Holder: holder, HolderLevel: LevelStreet,
			Subject: holder, SubjectKind: KindDepartment})
	}
	return append(gs,
		Grant{ID: "qinhuai/street-summon", Right: RightSummon, Holder: holder, HolderLevel: LevelStreet,
			Subject: holder, SubjectKind: KindDepartment},
		Grant{ID: "qinhuai/community-reverse-evaluate", Right: RightReverseEvaluate, Holder: holder,
			HolderLevel: LevelCommunity, Relation: RelationSeconded},
		Grant{ID: "qinhuai/appraise-secondees", Right: RightAppraise, Holder: holder, Relation: RelationAppraises},
	)
}
