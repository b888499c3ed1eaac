#!/bin/bash
exec redis-server
