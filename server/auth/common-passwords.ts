/**
 * The passwords attackers try first: the top of the public breach-corpus lists (RockYou, NCSC's
 * "100k most common", yearly "worst passwords" lists) plus their usual 12-character-and-longer
 * stretchings, since those are the ones that get past our minimum length. Lowercase; callers
 * lowercase the candidate. Kept inline so the server never fetches it.
 */
const list = `
  123456 123456789 12345678 12345 1234567 1234567890 123123 111111 000000 654321 666666 121212
  112233 123321 987654321 1q2w3e4r 1q2w3e 1qaz2wsx qwerty qwerty123 qwertyuiop qwe123 asdfgh
  asdfghjkl zxcvbnm password password1 password123 passw0rd p@ssw0rd p@ssword abc123 abcdef
  abc12345 iloveyou princess admin admin123 administrator welcome welcome1 letmein monkey dragon
  football baseball basketball soccer hockey master sunshine shadow superman batman trustno1
  whatever freedom starwars pokemon charlie michael jennifer jordan hunter hunter2 ashley
  daniel jessica thomas robert matthew andrew joshua nicole michelle computer internet login
  secret secret123 changeme default guest test test123 testing root toor qazwsx zaq12wsx
  mustang harley ranger buster tigger killer pepper ginger summer winter spring autumn
  chocolate cookie cheese banana orange purple flower lovely loveme love123 iloveu babygirl
  angel angels anthony azerty 7777777 888888 11111111 00000000 99999999 123qwe 1234qwer
  q1w2e3r4 q1w2e3r4t5 zxcv1234 asdf1234 qwer1234 password! passw0rd! letmein1 letmein123
  welcome123 monkey123 dragon123 football1 baseball1 sunshine1 shadow123 master123 superman1
  princess1 iloveyou1 iloveyou2 abcd1234 a1b2c3d4 aa123456 aaaaaa aaaaaaaa blink182 jordan23
  michael1 charlie1 qwerty1 qwerty12 1qazxsw2 zaq1xsw2 xsw2zaq1 summer2023 summer2024
  summer2025 winter2023 winter2024 winter2025 spring2024 spring2025 autumn2024 autumn2025
  password2023 password2024 password2025 welcome2024 welcome2025 company123 office123
  passport access access123 business start123 private support helpdesk service
  abcdefg abcdefgh abcdefghi abcdefghij abcdefghijkl 1234554321 0987654321 9876543210
  147258369 159753 159357 147258 741852963 789456123 456789 123654 321321 135790 102030
  5201314 1314520 a123456 a12345678 qq123456 123abc 123456a 12345a 1234abcd abc123456
  123456abc 11223344 1122334455 12341234 12121212 123123123 112233445566 123456123456
  123412341234 121212121212 111111111111 000000000000 999999999999 123451234512
  123456789012 1234567890123 12345678901234 123456789123 987654321012 123456789abc
  password1234 password12345 password123456 passwordpassword password1password
  mypassword mypassword1 mypassword123 mypassword1234 thisismypassword yourpassword
  newpassword newpassword1 newpassword123 changeme123 changemeplease changeme1234
  qwertyuiop123 qwertyuiop1234 qwertyuiop12 qwertyuiopas qwertyuiopasdf qwerty123456
  qwerty1234567 qwerty12345678 qwertyqwerty qwerty123qwerty 1qaz2wsx3edc 1qaz2wsx3edc4rfv
  zaq12wsxcde3 q1w2e3r4t5y6 q1w2e3r4t5y6u7 qazwsxedcrfv qazwsxedc123 asdfghjkl123
  asdfghjkl1234 asdfghjkl12 zxcvbnm123456 zxcvbnm12345 asdfasdfasdf asdfqwerzxcv
  iloveyou1234 iloveyou12345 iloveyou123456 iloveyouforever iloveyoubaby iloveyoumom
  iloveyousomuch letmein12345 letmein123456 letmeinplease welcome12345 welcome123456
  welcometothejungle administrator1 administrator123 admin123456 admin1234567 adminadmin123
  superman12345 superman123456 batman123456 spiderman123 starwars1234 starwars12345
  pokemon12345 pokemon123456 football1234 football12345 baseball1234 basketball123
  sunshine1234 sunshine12345 princess1234 princess12345 monkey123456 dragon123456
  shadow123456 master123456 michael12345 jennifer1234 jessica12345 trustno1trustno1
  abcdefg12345 abcdefgh1234 abc123abc123 abcd1234abcd aaaaaaaaaaaa zzzzzzzzzzzz
  correcthorsebatterystaple correcthorse opensesame opensesame123 thequickbrownfox
  thequickbrownfoxjumpsoverthelazydog letmeinnow passwordpass internet1234 computer1234
  computer12345 chocolate123 chocolate1234 butterfly123 liverpool123 liverpool1892
  manchester123 arsenal12345 chelsea12345 barcelona123 realmadrid123 juventus1234
  blink1821234 linkinpark123 metallica123 nirvana12345 onedirection1 justinbieber
  harrypotter harrypotter1 harrypotter123 hogwarts1234 gameofthrones minecraft minecraft123
  minecraft1234 fortnite1234 playstation1 playstation123 xboxlive1234 nintendo1234
  whatever1234 nothing12345 somethingelse 1234567890qwerty qwerty1234567890
  9876543210qwerty 0123456789 01234567890 012345678901 password0000 password0123
  pa55word pa55w0rd p4ssw0rd p4ssword passw0rd123 p@ssw0rd123 p@ssw0rd1234 p@55w0rd
  password!123 password@123 password#123 password_123 password-123 password.123
  welcome@123 admin@123 admin@1234 root@123 test@123 india@123 india123 pakistan123
  bismillah bismillah123 jesus jesus123 jesuschrist jesusislord godisgood godisgood123
  blessed blessed123 lovelove loveyou loveyou123 sweetheart sweety sweetie
  myspace1 facebook facebook123 google google123 linkedin twitter instagram
  samsung samsung123 iphone iphone123 apple123 microsoft windows windows123
  secret1234 secret12345 supersecret supersecret123 topsecret topsecret123
  hello hello123 hello1234 helloworld helloworld123 hellohello123 goodbye
  killer123 ninja ninja123 cowboys eagles yankees lakers steelers packers
  maggie buddy bailey charlie123 daisy lucky molly rocky sophie tigger123
  snoopy garfield scooby scoobydoo mickey mickeymouse minnie tweety pikachu
  hannah samantha amanda melissa jasmine stephanie elizabeth victoria alexander
  christopher benjamin william richard nicholas jonathan patrick
  qwerty0987654321 zxcvbnmasdfghjkl qwertyuiopasdfghjkl qwertyuiopasdfghjklzxcvbnm
  1234qwerasdfzxcv 1q2w3e4r5t6y 1q2w3e4r5t6y7u8i 1q2w3e4r5t 1q2w3e4r5t6y7u
  a1s2d3f4g5h6 a1b2c3d4e5f6 abc123def456 aaa111bbb222 azertyuiop azertyuiop123
  qweasdzxc qweasdzxc123 qweasdzxc1234 asdzxcqwe123 zxcasdqwe123
`;

export const commonPasswords: ReadonlySet<string> = new Set(list.split(/\s+/).filter(Boolean));
