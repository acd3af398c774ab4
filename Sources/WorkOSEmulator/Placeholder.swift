enum _PlaceholderWorkOSEmulator {}
