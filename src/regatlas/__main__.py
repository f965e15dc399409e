from regatlas.cli import main

main()
