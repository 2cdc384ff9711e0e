// Package pipeline models sales plan execution, step 2 of the sales
// process: inquiries come in from campaigns and channels, reps follow them
// up with calls and visits, qualified inquiries become deals, and deals are
// won or lost; won deals go on to delivery and a follow-up service contact.
package pipeline
