from seeds_gen.cli import main

raise SystemExit(main())
