package trainingtest_test

import (
	"errors"
	"fmt"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// A test that needs more than the fixtures' one module starts from them:
// here the widget's curriculum gains a phone-selling module and is limited
// to the phone channel. Each call returns values of the caller's own, so
// changing them leaves the next test's fixtures as they were.
func ExampleNewCurriculum() {
	basics := trainingtest.NewModule()
	phone := training.Module{ID: "phone-selling", Title: "Selling by phone", Kind: training.ModuleSellingTechnique,
		Channel: trainingtest.ChannelPhone, Assessment: training.Assessment{MaxScore: 100, PassMark: 70}}
	cur := trainingtest.NewCurriculum()
	cur.Channel = trainingtest.ChannelPhone
	cur.Modules = append(cur.Modules, phone.ID)

	catalog, err := training.NewCatalog([]training.Module{basics, phone}, []training.Curriculum{cur})
	if err != nil {
		fmt.Println(err)
		return
	}
	got, _ := catalog.Curriculum(trainingtest.CurriculumWidget)
	fmt.Println(got.ID, got.Channel, got.Modules)
	fmt.Println(trainingtest.NewCurriculum().Modules) // the fixture is unchanged

	// A curriculum that names a module the catalog lacks is refused.
	_, err = training.NewCatalog([]training.Module{basics}, []training.Curriculum{cur})
	fmt.Println(errors.Is(err, salesprocess.ErrInvalid))
	// Output:
	// widget-cert phone [widget-basics phone-selling]
	// [widget-basics]
	// true
}
