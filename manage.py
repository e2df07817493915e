#!/usr/bin/env python
from xianjie.cli import main

if __name__ == "__main__":
    main()
