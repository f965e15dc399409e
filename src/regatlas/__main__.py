from regatlas.commands.app import main

main()
