package main

import (
	"fmt"
	"time"
)

// No signal.Notify: docker stop's TERM is handled by the Go runtime.
func main() {
	fmt.Println("serving")
	for {
		time.Sleep(time.Hour)
	}
}
