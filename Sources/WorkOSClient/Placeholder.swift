enum _PlaceholderWorkOSClient {}
