module github.com/salesprocess/salesprocess/examples/benchmarks

go 1.23

require (
	github.com/looplab/fsm v1.0.3
	github.com/qmuntal/stateless v1.7.2
	github.com/salesprocess/salesprocess v0.0.0
	github.com/shopspring/decimal v1.6.0
)

replace github.com/salesprocess/salesprocess => ../..
