#!/usr/bin/env python3
import watcher

if __name__ == "__main__":
    watcher.main()
