#!/usr/bin/env node
import "../dist/bundle/audit-image.mjs";
