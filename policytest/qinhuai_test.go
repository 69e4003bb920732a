package policytest_test

import (
	"testing"

	"github.com/gridgov/gridgov/policytest"
)

func TestShippedScenarios(t *testing.T) {
	policytest.Run(t, "testdata/*.yaml")
}
